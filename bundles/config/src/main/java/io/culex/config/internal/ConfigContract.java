package io.culex.config.internal;

/**
 * The Config Admin contract with the other bundles: the PIDs this bundle writes and the properties it adds to the
 * Mosquitto option names. Every configuration it writes carries {@link #ORIGIN}, so that a later run can tell its
 * own configurations (which it may update or delete) from ones an administrator made by other means.
 */
final class ConfigContract {

    static final String BROKER_PID = "io.culex.core.broker";
    static final String LISTENER_FACTORY_PID = "io.culex.core.listener";
    static final String BRIDGE_FACTORY_PID = "io.culex.bridge";
    static final String PLUGIN_FACTORY_PID = "io.culex.plugins";
    static final String AUTH_FILE_PID = "io.culex.auth.file";
    static final String ACL_FILE_PID = "io.culex.acl.file";
    static final String PSK_FILE_PID = "io.culex.psk.file";
    static final String PERSISTENCE_PID = "io.culex.persistence";
    static final String SYS_PID = "io.culex.sys";
    /** {@code features a,b}: the features io.culex.plugins installs at boot (property {@code features}, String[]). */
    static final String FEATURES_PID = "io.culex.features";
    /** Felix HTTP's own PID: {@code admin_listener} is the only way culex.conf opens an HTTP port. */
    static final String HTTP_PID = "org.apache.felix.http";
    /** The web console bundle: {@code bind_address} (of the admin listener), {@code admin_user}, {@code admin_password_hash}. */
    static final String WEBCONSOLE_PID = "io.culex.webconsole";
    /** The feature {@code admin_listener} adds to the boot features: HTTP, the Web Console and /metrics. */
    static final String ADMIN_FEATURE = "admin";
    /** The cluster bundle: written from the {@code cluster_*} options, which add the feature below. */
    static final String CLUSTER_PID = "io.culex.cluster";
    /** The feature the {@code cluster_*} options add to the boot features: Hazelcast and the cluster bundle. */
    static final String CLUSTER_FEATURE = "cluster";
    /**
     * The built-in dynamic security bundle, configured by Mosquitto's {@code plugin .../mosquitto_dynamic_security.so}
     * line: {@code plugin} (the path as written, for diagnostics), {@code config_file} (from
     * {@code plugin_opt_config_file}, as written; absent when the file gives none) and {@code plugin_opt_<key>} for
     * its other options.
     */
    static final String DYNSEC_PID = "io.culex.dynsec";
    /** The {@code culex.provider} value of the dynamic security bundle's services. */
    static final String DYNSEC_PROVIDER = "dynamic-security";

    static final String ORIGIN = "culex.origin";
    static final String ORIGIN_CULEX_CONF = "culex.conf";
    static final String ORIGIN_FILTER = "(" + ORIGIN + "=" + ORIGIN_CULEX_CONF + ")";
    /** "file:line" of the line that defined a listener, bridge or plugin, to trace a running component to the file. */
    static final String SOURCE = "culex.source";
    static final String LISTENER_KEY = "culex.listener.key";
    static final String BRIDGE_KEY = "culex.bridge.key";
    static final String PLUGIN_KEY = "culex.plugin.key";
    /** Plugins run in the order the file lists them, as Mosquitto runs its plugins. */
    static final String PLUGIN_ORDER = "culex.plugin.order";

    static final String LOCAL_ONLY = "local_only";
    /**
     * Broker property (String[]): the {@code culex.provider} service property values that must be registered
     * before clients are let in ({@code password_file}, {@code acl_file}, {@code dynamic-security}); present only
     * when the file names one.
     */
    static final String REQUIRED_PROVIDERS = "required_providers";
    /**
     * Broker property (String[]): the required providers that authenticate ({@code password_file},
     * {@code dynamic-security}). While one has no {@code Authenticator} registered new clients are refused; the
     * connected ones, authenticated already, go on. Present when one is required.
     */
    static final String REQUIRED_AUTHENTICATORS = "required_authenticators";
    /**
     * Broker property (String[]): the required providers that authorize ({@code acl_file},
     * {@code dynamic-security}). While one has no {@code Authorizer} registered every ACL check denies. Present
     * when one is required.
     */
    static final String REQUIRED_AUTHORIZERS = "required_authorizers";
    /** Broker property: the keys of every configured listener, so the core accepts only once all are bound. */
    static final String LISTENER_KEYS = "culex.listener_keys";

    /** Service properties of the status service (a {@link Runnable} that reloads the file). */
    static final String STATUS = "culex.config.status";
    static final String STATUS_READY = "ready";
    static final String STATUS_FAILED = "failed";
    static final String STATUS_ERROR = "culex.config.error";
    static final String STATUS_FILE = "culex.config.file";

    /** Framework properties set by the launcher from the command line. */
    static final String CONFIG_FILE_PROPERTY = "culex.config.file";
    static final String PORTS_PROPERTY = "culex.cmd.ports";
    static final String VERBOSE_PROPERTY = "culex.verbose";
    /** {@code -i}: the launcher starts a Gogo console on the terminal. */
    static final String INTERACTIVE_PROPERTY = "culex.interactive";

    private ConfigContract() {
    }
}
