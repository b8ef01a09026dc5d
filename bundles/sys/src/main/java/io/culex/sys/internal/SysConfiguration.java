package io.culex.sys.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.sys} configuration (a double underscore in a method name stands for one
 * underscore in the property name, a single one for a dot). The config bundle creates it from {@code sys_interval}
 * in culex.conf; without one the defaults apply, as in Mosquitto.
 */
@ObjectClassDefinition(name = "Culex $SYS tree",
        description = "Mosquitto's $SYS/broker/... topics: broker counters published as retained messages")
@interface SysConfiguration {

    @AttributeDefinition(description = "Seconds between updates of the $SYS tree (Mosquitto's sys_interval); "
            + "0 publishes nothing.", min = "0", max = "65535")
    int sys__interval() default 10;

    @AttributeDefinition(description = "Message Expiry Interval, in seconds, of the periodic $SYS messages (not of "
            + "$SYS/broker/version), as Mosquitto 2.0 sets it: a value that stops changing is no longer retained "
            + "after this time. 0: they do not expire.", min = "0")
    long culex_message__expiry__interval() default SysTree.MOSQUITTO_MESSAGE_EXPIRY_SECONDS;
}
