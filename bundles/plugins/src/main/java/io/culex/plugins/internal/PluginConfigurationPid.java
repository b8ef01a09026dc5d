package io.culex.plugins.internal;

import org.osgi.framework.Bundle;

/**
 * The convention by which a plugin says where its {@code plugin_opt_*} options go: the Config Admin PID named by
 * its manifest header {@value #HEADER}, or, without that header, its {@code Bundle-SymbolicName}. A DS component
 * receives them with {@code @Component(configurationPid = "<that PID>")}.
 */
final class PluginConfigurationPid {

    static final String HEADER = "Culex-Plugin-Pid";

    private PluginConfigurationPid() {
    }

    static String of(Bundle bundle) {
        String declared = bundle.getHeaders("").get(HEADER);
        if (declared != null && !declared.isBlank()) {
            return declared.strip();
        }
        return bundle.getSymbolicName();
    }
}
