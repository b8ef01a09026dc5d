package io.culex.core.internal.protocol;

/**
 * MQTT 5 reason codes the broker sends (specification section 2.4).
 */
final class ReasonCodes {

    static final int SUCCESS = 0x00;
    static final int DISCONNECT_WITH_WILL = 0x04;
    static final int NO_MATCHING_SUBSCRIBERS = 0x10;
    static final int NO_SUBSCRIPTION_EXISTED = 0x11;
    static final int CONTINUE_AUTHENTICATION = 0x18;
    static final int REAUTHENTICATE = 0x19;
    static final int UNSPECIFIED_ERROR = 0x80;
    static final int MALFORMED_PACKET = 0x81;
    static final int PROTOCOL_ERROR = 0x82;
    static final int IMPLEMENTATION_SPECIFIC_ERROR = 0x83;
    static final int NOT_AUTHORIZED = 0x87;
    static final int SERVER_SHUTTING_DOWN = 0x8B;
    static final int BAD_AUTHENTICATION_METHOD = 0x8C;
    static final int KEEP_ALIVE_TIMEOUT = 0x8D;
    static final int SESSION_TAKEN_OVER = 0x8E;
    static final int TOPIC_NAME_INVALID = 0x90;
    static final int PACKET_IDENTIFIER_NOT_FOUND = 0x92;
    static final int RECEIVE_MAXIMUM_EXCEEDED = 0x93;
    static final int TOPIC_ALIAS_INVALID = 0x94;
    static final int PACKET_TOO_LARGE = 0x95;
    static final int ADMINISTRATIVE_ACTION = 0x98;
    static final int PAYLOAD_FORMAT_INVALID = 0x99;
    static final int RETAIN_NOT_SUPPORTED = 0x9A;
    static final int QOS_NOT_SUPPORTED = 0x9B;
    static final int SHARED_SUBSCRIPTIONS_NOT_SUPPORTED = 0x9E;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReasonCodes.class);

    /** The failure codes the MQTT 5 specification allows on each answer (3.2.2.2, 3.4.2.1, 3.9.3, 3.11.3). */
    private static final java.util.Set<Integer> CONNACK_FAILURES = java.util.Set.of(0x80, 0x81, 0x82, 0x83, 0x84,
            0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
    private static final java.util.Set<Integer> PUBACK_FAILURES = java.util.Set.of(0x80, 0x83, 0x87, 0x90, 0x91,
            0x97, 0x99);
    private static final java.util.Set<Integer> SUBACK_FAILURES = java.util.Set.of(0x80, 0x83, 0x87, 0x8F, 0x91,
            0x97, 0x9E, 0xA1, 0xA2);
    private static final java.util.Set<Integer> UNSUBACK_FAILURES = java.util.Set.of(0x80, 0x83, 0x87, 0x8F, 0x91);

    static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

    private ReasonCodes() {
    }

    /** @return the reason code of a denied CONNECT: the extension's if CONNACK allows it, else the fallback */
    static int connackDenial(io.culex.api.AccessDecision d, int fallback) {
        return denial(d, CONNACK_FAILURES, fallback, "CONNACK");
    }

    /** @return the reason code of a denied PUBLISH: the extension's if PUBACK/PUBREC allows it, else 0x87 */
    static int publishDenial(io.culex.api.AccessDecision d) {
        return denial(d, PUBACK_FAILURES, NOT_AUTHORIZED, "PUBACK");
    }

    /** @return the reason code of a denied subscription: the extension's if SUBACK allows it, else 0x87 */
    static int subscribeDenial(io.culex.api.AccessDecision d) {
        return denial(d, SUBACK_FAILURES, NOT_AUTHORIZED, "SUBACK");
    }

    /** @return the reason code of a denied unsubscription: the extension's if UNSUBACK allows it, else 0x87 */
    static int unsubscribeDenial(io.culex.api.AccessDecision d) {
        return denial(d, UNSUBACK_FAILURES, NOT_AUTHORIZED, "UNSUBACK");
    }

    private static int denial(io.culex.api.AccessDecision d, java.util.Set<Integer> allowed, int fallback,
                              String packet) {
        int code = d.reasonCode();
        if (code == io.culex.api.AccessDecision.DEFAULT_REASON) {
            return fallback;
        }
        if (!allowed.contains(code)) {
            LOG.warn("An extension denied with reason code 0x{}, which {} cannot carry; sending 0x{} instead.",
                    Integer.toHexString(code), packet, Integer.toHexString(fallback));
            return fallback;
        }
        return code;
    }
}
