package io.culex.core.internal.settings;

import java.util.Map;

/**
 * The broker-wide settings, read from the {@code io.culex.core.broker} configuration (Mosquitto's option names) and
 * replaced as a whole on reconfiguration: a connection reads the current instance once per event.
 */
public final class BrokerSettings {

    /** Mosquitto's maximum: the largest remaining length MQTT can express. */
    public static final int MQTT_MAX_REMAINING_LENGTH = 268_435_455;
    /** The property naming every configured listener's {@link ListenerSettings#KEY}. */
    public static final String LISTENER_KEYS = "culex.listener_keys";

    public final Boolean allowAnonymous;
    public final boolean localOnly;
    public final boolean allowZeroLengthClientId;
    public final String autoIdPrefix;
    public final int maxInflightMessages;
    public final long maxInflightBytes;
    public final int maxQueuedMessages;
    public final long maxQueuedBytes;
    public final int messageSizeLimit;
    public final int maxPacketSize;
    public final int maxKeepalive;
    public final long persistentClientExpirationSeconds;
    public final boolean retainAvailable;
    public final boolean upgradeOutgoingQos;
    public final boolean queueQos0Messages;
    public final boolean connectionMessages;
    public final long authenticationTimeoutMillis;
    /**
     * How long a congested subscriber may take no message at all while publishers wait for it before it is
     * stalled and no longer paces them ({@code culex.flow_control_stall_ms}).
     */
    public final long flowControlStallMillis;
    /**
     * Security providers the configuration requires ({@code password_file}, {@code acl_file}, ...): each must be
     * registered as an SPI service with that {@code culex.provider} property, or the broker fails closed. A name
     * in neither {@link #requiredAuthenticators} nor {@link #requiredAuthorizers} is needed in either role: while
     * it is missing clients are refused and every ACL check denies.
     */
    public final java.util.List<String> requiredProviders;
    /**
     * The required providers that authenticate ({@code required_authenticators}: {@code password_file},
     * {@code dynamic-security}): while one has no {@code Authenticator} registered, new clients are refused;
     * connected clients, already authenticated, go on.
     */
    public final java.util.List<String> requiredAuthenticators;
    /**
     * The required providers that authorize ({@code required_authorizers}: {@code acl_file},
     * {@code dynamic-security}): while one has no {@code Authorizer} registered, every ACL check denies and new
     * clients are refused.
     */
    public final java.util.List<String> requiredAuthorizers;
    /**
     * Mosquitto's {@code persistence}: the broker's state must survive restarts, so the listeners open only once a
     * store ({@code PersistenceListener}) has restored it.
     */
    public final boolean persistence;
    /**
     * The keys of every configured listener ({@code culex.listener_keys}, written by the config bundle): accepting
     * starts once all of them are bound. Empty when not known.
     */
    public final java.util.List<String> listenerKeys;

    private BrokerSettings(Map<String, ?> p) {
        allowAnonymous = p.get("allow_anonymous") == null ? null : bool(p, "allow_anonymous", false);
        localOnly = bool(p, "local_only", false);
        allowZeroLengthClientId = bool(p, "allow_zero_length_clientid", true);
        autoIdPrefix = string(p, "auto_id_prefix", "auto-");
        maxInflightMessages = integer(p, "max_inflight_messages", 20, 0, 65535);
        maxInflightBytes = longValue(p, "max_inflight_bytes", 0);
        maxQueuedMessages = integer(p, "max_queued_messages", 1000, 0, Integer.MAX_VALUE);
        maxQueuedBytes = longValue(p, "max_queued_bytes", 0);
        messageSizeLimit = integer(p, "message_size_limit", 0, 0, MQTT_MAX_REMAINING_LENGTH);
        maxPacketSize = integer(p, "max_packet_size", 0, 0, MQTT_MAX_REMAINING_LENGTH + 5);
        maxKeepalive = integer(p, "max_keepalive", 65535, 0, 65535);
        persistentClientExpirationSeconds = longValue(p, "persistent_client_expiration", 0);
        retainAvailable = bool(p, "retain_available", true);
        upgradeOutgoingQos = bool(p, "upgrade_outgoing_qos", false);
        queueQos0Messages = bool(p, "queue_qos0_messages", false);
        connectionMessages = bool(p, "connection_messages", true);
        authenticationTimeoutMillis = longValue(p, "culex.authentication_timeout_ms", 10_000);
        flowControlStallMillis = longValue(p, "culex.flow_control_stall_ms", 1_000);
        requiredProviders = strings(p, "required_providers");
        requiredAuthenticators = strings(p, "required_authenticators");
        requiredAuthorizers = strings(p, "required_authorizers");
        persistence = bool(p, "persistence", false);
        listenerKeys = strings(p, LISTENER_KEYS);
    }

    /** @return settings from configuration properties; absent keys take Mosquitto's defaults */
    public static BrokerSettings from(Map<String, ?> properties) {
        return new BrokerSettings(properties);
    }

    /** @return Mosquitto's defaults with no configuration */
    public static BrokerSettings defaults() {
        return new BrokerSettings(Map.of());
    }

    /**
     * {@code max_queued_messages} and {@code max_queued_bytes} applied to a queue: a session's, or the messages a
     * bundle's subscription has not completed.
     *
     * @param messages messages in the queue now
     * @param bytes their payload bytes
     * @param size the payload bytes of the message that would be added
     * @return whether that message does not fit; an empty queue always takes one, however large, or nothing could
     *     ever be delivered
     */
    public boolean isQueueFull(int messages, long bytes, int size) {
        if (messages == 0) {
            return false;
        }
        return (maxQueuedMessages > 0 && messages >= maxQueuedMessages)
                || (maxQueuedBytes > 0 && bytes + size > maxQueuedBytes);
    }

    /**
     * Whether a queue that overflowed has drained to half of {@code max_queued_messages} and of {@code
     * max_queued_bytes} (each where set): the end of an episode of dropped messages. Not "one message fits again":
     * with a byte limit that is true after almost every drop, and a client that takes one message now and then
     * would start a new episode per message.
     */
    public boolean isQueueHalfEmpty(int messages, long bytes) {
        return (maxQueuedMessages <= 0 || messages <= maxQueuedMessages / 2)
                && (maxQueuedBytes <= 0 || bytes <= maxQueuedBytes / 2);
    }

    /**
     * Mosquitto 2: in local-only mode (no listener configured, the broker listens on loopback only) anonymous access
     * is always allowed; otherwise only when {@code allow_anonymous true}.
     */
    public boolean anonymousAllowed() {
        return localOnly || Boolean.TRUE.equals(allowAnonymous);
    }

    /**
     * @return the largest packet the decoder accepts. {@code max_packet_size} if set; otherwise, if
     *     {@code message_size_limit} is set, that plus room for the largest topic and headers (a PUBLISH a little over
     *     the limit is decoded and then dropped, as Mosquitto does, instead of closing the connection); otherwise
     *     MQTT's maximum.
     */
    public int decoderMaxBytes() {
        if (maxPacketSize > 0) {
            return maxPacketSize;
        }
        if (messageSizeLimit > 0) {
            long withHeaders = (long) messageSizeLimit + 65_535 + 2 + 2 + 5;
            return (int) Math.min(withHeaders, MQTT_MAX_REMAINING_LENGTH + 5L);
        }
        return MQTT_MAX_REMAINING_LENGTH + 5;
    }

    private static boolean bool(Map<String, ?> p, String key, boolean def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        String s = v.toString().trim();
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(key + ": not a boolean: " + v);
    }

    private static int integer(Map<String, ?> p, String key, int def, int min, int max) {
        long value = longValue(p, key, def);
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + ": " + value + " is not between " + min + " and " + max);
        }
        return (int) value;
    }

    private static long longValue(Map<String, ?> p, String key, long def) {
        Object v = p.get(key);
        if (v == null) {
            return def;
        }
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": not a number: " + v, e);
        }
    }

    private static java.util.List<String> strings(Map<String, ?> p, String key) {
        Object v = p.get(key);
        if (v == null) {
            return java.util.List.of();
        }
        if (v instanceof String[]) {
            return java.util.List.of((String[]) v);
        }
        if (v instanceof java.util.Collection) {
            return ((java.util.Collection<?>) v).stream().map(String::valueOf).collect(
                    java.util.stream.Collectors.toUnmodifiableList());
        }
        return java.util.List.of(v.toString().split("\\s*,\\s*"));
    }

    private static String string(Map<String, ?> p, String key, String def) {
        Object v = p.get(key);
        return v == null ? def : v.toString();
    }
}
