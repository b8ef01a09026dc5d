package io.culex.plugins.internal.features;

import java.util.List;
import java.util.Map;

/**
 * One feature of a features file: the features it needs, its bundles (references as written) and its default
 * configurations (PID to properties).
 */
record FeatureDescriptor(String name, List<String> features, List<String> bundles,
                         Map<String, Map<String, String>> configurations) {
}
