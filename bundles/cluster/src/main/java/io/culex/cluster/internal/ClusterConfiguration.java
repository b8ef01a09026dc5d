package io.culex.cluster.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.cluster} configuration, which the config bundle writes from the {@code cluster_*}
 * options of culex.conf (a double underscore in a method name stands for one underscore in the property name).
 */
@ObjectClassDefinition(name = "Culex cluster",
        description = "Several Culex nodes acting as one broker, on an embedded Hazelcast member")
@interface ClusterConfiguration {

    @AttributeDefinition(description = "The cluster's name: only members with the same name join each other.")
    String cluster__name() default ClusterSettings.DEFAULT_NAME;

    @AttributeDefinition(description = "The TCP port this node's cluster member listens on.", min = "1",
            max = "65535")
    int cluster__port() default ClusterSettings.DEFAULT_PORT;

    @AttributeDefinition(description = "The address the cluster member binds to and announces; loopback unless set, "
            + "as cluster traffic is neither authenticated nor encrypted.")
    String cluster__bind__address() default ClusterSettings.DEFAULT_BIND_ADDRESS;

    @AttributeDefinition(description = "host:port of the other members to join (TCP/IP discovery; multicast is "
            + "off). A member may list itself.")
    String[] cluster__members() default {};

    @AttributeDefinition(description = "How many other members keep a backup copy of each entry of the cluster's "
            + "maps (retained messages).", min = "0", max = "6")
    int cluster__backup__count() default ClusterSettings.DEFAULT_BACKUP_COUNT;
}
