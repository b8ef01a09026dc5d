package io.culex.bridge.internal;

/** Which way a bridge topic carries messages, as in Mosquitto's {@code topic} line. */
enum Direction {
    /** local to remote */
    OUT,
    /** remote to local */
    IN,
    BOTH;

    boolean outgoing() {
        return this != IN;
    }

    boolean incoming() {
        return this != OUT;
    }
}
