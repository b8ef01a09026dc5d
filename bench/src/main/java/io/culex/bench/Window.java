package io.culex.bench;

/**
 * The measured window, in {@link System#nanoTime()} terms: set once everyone is connected, before publishing
 * starts, and read by every endpoint.
 */
final class Window {

    volatile long start = Long.MAX_VALUE;
    volatile long end = Long.MAX_VALUE;
}
