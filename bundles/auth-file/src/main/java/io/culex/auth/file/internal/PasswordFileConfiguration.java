package io.culex.auth.file.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype of the {@code io.culex.auth.file} configuration (a double underscore in a method name stands for one
 * underscore in the property name). The config bundle creates it from {@code password_file} in culex.conf.
 */
@ObjectClassDefinition(name = "Culex password file",
        description = "Mosquitto's password_file: user names and $6$/$7$ password hashes, as made by "
                + "mosquitto_passwd or culex-passwd")
@interface PasswordFileConfiguration {

    @AttributeDefinition(description = "Path of the password file (relative paths are relative to the broker's "
            + "working directory, as in Mosquitto). Reloaded when it changes and on SIGHUP.")
    String password__file();
}
