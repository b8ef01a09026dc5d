package io.culex.core.internal.routing;

/**
 * Where routed messages come from, as flow control sees it: a client connection that can stop taking PUBLISH
 * packets when a subscriber it feeds falls behind, and start again when that subscriber has caught up.
 *
 * <p>Messages the broker publishes itself (wills, control responses, plugins) have no source and are never held
 * back; they still count in the subscribers' backlogs.
 */
public interface FlowSource {

    /**
     * Take no new PUBLISH after the one being routed now, until {@link #resume()}. Called on the source's own event
     * loop, while it routes. Idempotent.
     *
     * @param cause the backlog that is over its high-water mark; the source watches it for a stall
     */
    void pause(Backlog cause);

    /**
     * The backlog that paused this source has come down (or its subscriber stalled): take messages again. May be
     * called on any thread and more than once; the source hands it to its own loop.
     */
    void resume();
}
