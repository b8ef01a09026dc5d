package io.culex.api;

import java.util.Objects;

/**
 * A {@link Decision} with what the client is told when it is a denial: an MQTT 5 reason code and a reason string.
 * Returned by {@link Authenticator#check} and {@link Authorizer#check}, whose defaults wrap the plain
 * {@code Decision} of {@code authenticate}/{@code authorize}; a service that wants to say why overrides
 * {@code check}.
 *
 * <p>The reason code must be one the MQTT 5 specification allows on the packet that answers the client (CONNACK for
 * authentication, PUBACK/PUBREC for PUBLISH, SUBACK for SUBSCRIBE, UNSUBACK for UNSUBSCRIBE, all 0x80 or above);
 * any other is replaced by the broker's default for the situation (0x87 "not authorized", 0x86 "bad user name or
 * password" for a CONNECT that sent credentials) and logged. MQTT 3.x clients see only what their protocol can
 * say (CONNACK return codes 4 or 5, a SUBACK failure 0x80; a PUBLISH is acknowledged either way). The reason string
 * goes to MQTT 5 clients in the answering packet, for CONNACK always, for the others only if the client did not
 * turn off Request Problem Information.
 *
 * @since 1.5
 */
public final class AccessDecision {

    /** The broker's default reason code for the situation. */
    public static final int DEFAULT_REASON = 0;

    public static final AccessDecision ALLOW = new AccessDecision(Decision.ALLOW, DEFAULT_REASON, null);
    public static final AccessDecision DENY = new AccessDecision(Decision.DENY, DEFAULT_REASON, null);
    public static final AccessDecision DEFER = new AccessDecision(Decision.DEFER, DEFAULT_REASON, null);

    private final Decision decision;
    private final int reasonCode;
    private final String reasonString;

    private AccessDecision(Decision decision, int reasonCode, String reasonString) {
        this.decision = decision;
        this.reasonCode = reasonCode;
        this.reasonString = reasonString;
    }

    /** @return the shared instance for a plain decision */
    public static AccessDecision of(Decision decision) {
        switch (Objects.requireNonNull(decision, "decision")) {
            case ALLOW:
                return ALLOW;
            case DENY:
                return DENY;
            default:
                return DEFER;
        }
    }

    /**
     * A denial that tells the client why.
     *
     * @param reasonCode an MQTT 5 reason code from 0x80 to 0xFF, or {@link #DEFAULT_REASON}
     * @param reasonString human-readable text for the client, or {@code null}
     * @return the decision
     * @throws IllegalArgumentException if the reason code is not 0 and not in 0x80..0xFF
     */
    public static AccessDecision deny(int reasonCode, @Nullable String reasonString) {
        if (reasonCode != DEFAULT_REASON && (reasonCode < 0x80 || reasonCode > 0xFF)) {
            throw new IllegalArgumentException("a denial's reason code is 0x80..0xFF: 0x" + Integer.toHexString(reasonCode));
        }
        return new AccessDecision(Decision.DENY, reasonCode, reasonString);
    }

    public Decision decision() {
        return decision;
    }

    /** @return the MQTT 5 reason code of a denial, or {@link #DEFAULT_REASON} */
    public int reasonCode() {
        return reasonCode;
    }

    /** @return text for the client, or {@code null} */
    @Nullable
    public String reasonString() {
        return reasonString;
    }

    @Override
    public String toString() {
        return reasonCode == DEFAULT_REASON && reasonString == null ? decision.toString()
                : decision + "(0x" + Integer.toHexString(reasonCode) + (reasonString == null ? "" : ", " + reasonString)
                        + ")";
    }
}
