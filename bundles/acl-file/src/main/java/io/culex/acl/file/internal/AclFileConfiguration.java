package io.culex.acl.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.acl.file} configuration (a double underscore in a method name stands for one
 * underscore in the property name). The config bundle creates it from {@code acl_file} in culex.conf.
 */
@ObjectClassDefinition(name = "Culex ACL file",
        description = "Mosquitto's acl_file: topic, user and pattern lines deciding who may publish and receive")
@interface AclFileConfiguration {

    @AttributeDefinition(description = "Path of the ACL file (relative paths are relative to the broker's working "
            + "directory, as in Mosquitto). Reloaded when it changes and on SIGHUP.")
    String acl__file();
}
