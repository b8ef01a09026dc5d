package io.culex.webconsole.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The web console's access settings (PID {@code io.culex.webconsole}), written by the config bundle from
 * {@code admin_listener} and {@code admin_user} (a double underscore in a method name is one underscore in the
 * property name). The password is only ever held as a {@code $7$} hash.
 */
@ObjectClassDefinition(name = "Culex web console",
        description = "Who may use the web console: admin_listener's address and admin_user's credential")
@interface ConsoleConfiguration {

    @AttributeDefinition(name = "Bind address",
            description = "The admin listener's address; without admin_user only a loopback address is served")
    String bind__address() default "127.0.0.1";

    @AttributeDefinition(name = "User name", required = false,
            description = "The console user (admin_user); empty: admin, with the password admin, on loopback only")
    String admin__user() default "";

    @AttributeDefinition(name = "Password hash", required = false,
            description = "The user's password as a $7$ hash (culex-passwd or mosquitto_passwd make one)")
    String admin__password__hash() default "";
}
