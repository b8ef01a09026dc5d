package io.culex.shell.internal;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

import io.culex.api.admin.FeatureService;

/**
 * {@code culex:features}: the features the distribution describes, whether installed, and their bundles. A feature
 * whose bundles all boot from {@code system/} (core, security, sys, ...) is there without having been installed as a
 * feature; it shows as {@code system}, so that "no" means its bundles are really absent.
 */
final class FeaturesCommand implements ShellCommand {

    private final FeatureService features;
    private final BundleContext context;

    FeaturesCommand(FeatureService features, BundleContext context) {
        this.features = features;
        this.context = context;
    }

    @Override
    public String name() {
        return "features";
    }

    @Override
    public String usage() {
        return "culex:features";
    }

    @Override
    public void run(List<String> args, PrintStream out) {
        expectArguments(args, 0, 0);
        List<String> installed = features.installedFeatures();
        Set<String> present = Arrays.stream(context.getBundles()).map(Bundle::getSymbolicName)
                .collect(Collectors.toSet());
        Table table = new Table("FEATURE", "INSTALLED", "BUNDLES");
        for (String name : features.availableFeatures()) {
            List<String> bundles = features.bundlesOf(name);
            String state = installed.contains(name) ? "yes" : present.containsAll(bundles) ? "system" : "no";
            table.row(name, state, String.join(", ", bundles));
        }
        table.print(out);
    }
}
