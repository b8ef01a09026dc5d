package io.culex.bridge.internal;

import java.util.function.IntBinaryOperator;

/**
 * How long a bridge waits before connecting again: Mosquitto's {@code restart_timeout}. One value is a constant
 * wait; two are a base and a cap for "decorrelated jitter" backoff, as Mosquitto computes it: each wait is random
 * between the base and three times the previous one (the first: three times the base), at most the cap; it starts
 * over from the base once a connection succeeds. Used on the bridge's event loop only.
 */
final class RestartBackoff {

    private final int baseSeconds;
    private final int capSeconds;
    private final IntBinaryOperator randomBetween;
    private int currentSeconds;

    /**
     * @param capSeconds 0 for a constant wait of {@code baseSeconds}
     * @param randomBetween a random integer between its two arguments, both included
     */
    RestartBackoff(int baseSeconds, int capSeconds, IntBinaryOperator randomBetween) {
        if (baseSeconds < 1 || (capSeconds != 0 && capSeconds < baseSeconds)) {
            throw new IllegalArgumentException("restart_timeout " + baseSeconds + " " + capSeconds);
        }
        this.baseSeconds = baseSeconds;
        this.capSeconds = capSeconds;
        this.randomBetween = randomBetween;
        this.currentSeconds = baseSeconds;
    }

    /** @return the wait before the next attempt, in seconds (Mosquitto steps the backoff before each wait) */
    int nextDelaySeconds() {
        if (capSeconds == 0) {
            return baseSeconds;
        }
        int upper = (int) Math.min((long) currentSeconds * 3, Integer.MAX_VALUE);
        currentSeconds = Math.min(capSeconds, randomBetween.applyAsInt(baseSeconds, upper));
        return currentSeconds;
    }

    /** A connection succeeded: the next failure waits the base again. */
    void reset() {
        currentSeconds = baseSeconds;
    }
}
