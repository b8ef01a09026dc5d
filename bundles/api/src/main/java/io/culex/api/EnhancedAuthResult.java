package io.culex.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * The answer of an {@link EnhancedAuthenticator} to one step of an exchange. Immutable; create it with the factory
 * methods.
 *
 * @since 1.2
 */
public final class EnhancedAuthResult {

    /** What the broker does next. */
    public enum Outcome {
        /** The client is authenticated: CONNACK 0x00 (or AUTH 0x00 after re-authentication). */
        SUCCESS,
        /** Send the client AUTH 0x18 with {@link #data()} and pass its reply to the same service. */
        CONTINUE,
        /** Refuse: CONNACK 0x87, or DISCONNECT 0x87 after re-authentication. */
        DENY,
        /** No opinion: ask the next service registered for the method ({@code start} only). */
        DEFER
    }

    private static final EnhancedAuthResult SUCCESS = new EnhancedAuthResult(Outcome.SUCCESS, null, null);
    private static final EnhancedAuthResult DENY = new EnhancedAuthResult(Outcome.DENY, null, null);
    private static final EnhancedAuthResult DEFER = new EnhancedAuthResult(Outcome.DEFER, null, null);

    private final Outcome outcome;
    private final byte[] data;
    private final Object exchangeState;

    private EnhancedAuthResult(Outcome outcome, byte[] data, Object exchangeState) {
        this.outcome = outcome;
        this.data = data;
        this.exchangeState = exchangeState;
    }

    /** @return authenticated, with no Authentication Data for the client */
    public static EnhancedAuthResult success() {
        return SUCCESS;
    }

    /**
     * @param data Authentication Data for the client's CONNACK (or AUTH 0x00): e.g. the server's final SCRAM
     *     message; copied
     * @return authenticated, with data for the client
     */
    public static EnhancedAuthResult success(byte[] data) {
        return new EnhancedAuthResult(Outcome.SUCCESS, data.clone(), null);
    }

    /**
     * @param data Authentication Data for the AUTH 0x18 packet (the challenge); copied
     * @return continue the exchange; the client's reply goes to {@link EnhancedAuthenticator#proceed}
     */
    public static EnhancedAuthResult continueWith(byte[] data) {
        return continueWith(data, null);
    }

    /**
     * @param data Authentication Data for the AUTH 0x18 packet (the challenge); copied
     * @param exchangeState what the service needs to check the client's reply (a nonce, a server context, ...),
     *     handed back as {@link EnhancedAuthenticationRequest#exchangeState()}; not copied, so it should be
     *     immutable or used by this exchange only
     * @return continue the exchange; the client's reply goes to {@link EnhancedAuthenticator#proceed}
     */
    public static EnhancedAuthResult continueWith(byte[] data, @Nullable Object exchangeState) {
        return new EnhancedAuthResult(Outcome.CONTINUE, data.clone(), exchangeState);
    }

    /** @return not authenticated */
    public static EnhancedAuthResult deny() {
        return DENY;
    }

    /** @return no opinion: the next service registered for the method decides */
    public static EnhancedAuthResult defer() {
        return DEFER;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** @return a copy of the Authentication Data for the client, or {@code null} if there is none */
    @Nullable
    public byte[] data() {
        return data == null ? null : data.clone();
    }

    /** @return the state given with {@link #continueWith(byte[], Object)}, or {@code null} */
    @Nullable
    public Object exchangeState() {
        return exchangeState;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof EnhancedAuthResult)) {
            return false;
        }
        EnhancedAuthResult that = (EnhancedAuthResult) other;
        return outcome == that.outcome && Arrays.equals(data, that.data)
                && Objects.equals(exchangeState, that.exchangeState);
    }

    @Override
    public int hashCode() {
        return 31 * outcome.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return outcome + (data == null ? "" : " (" + data.length + " bytes of data)");
    }
}
