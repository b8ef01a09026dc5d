package io.culex.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of an {@code io.culex.core.listener} factory configuration: one per {@code listener} line of
 * mosquitto.conf.
 */
@ObjectClassDefinition(name = "Culex listener", description = "A network listener, as a mosquitto.conf listener")
@interface ListenerConfiguration {

    @AttributeDefinition(description = "TCP port (0 picks a free one).", min = "0", max = "65535")
    int port() default 1883;

    @AttributeDefinition(description = "Host name or address to bind; empty for every interface.",
            required = false)
    String bind__address();

    @AttributeDefinition(description = "mqtt (websockets is not supported yet).")
    String protocol() default "mqtt";

    @AttributeDefinition(description = "Most clients connected at once on this listener (-1 = no limit).")
    int max__connections() default -1;
}
