package io.culex.dynsec.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.dynsec} configuration (a double underscore in a method name stands for one
 * underscore in the property name). The config bundle writes it from a mosquitto.conf
 * {@code plugin .../mosquitto_dynamic_security.so} line and its {@code plugin_opt_config_file}.
 */
@ObjectClassDefinition(name = "Culex dynamic security",
        description = "Mosquitto's dynamic security plugin: clients, groups and roles managed over "
                + "$CONTROL/dynamic-security/v1 and kept in dynamic-security.json")
@interface DynsecConfiguration {

    @AttributeDefinition(required = false, description = "Path of dynamic-security.json (relative paths are "
            + "relative to the broker's working directory). Without it the plugin stays inactive, as in Mosquitto.")
    String config__file();
}
