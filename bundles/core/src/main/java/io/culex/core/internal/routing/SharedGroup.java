package io.culex.core.internal.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one share group on one filter. Each matching message goes to one member, round robin, skipping
 * members whose client is offline while any member is online, and congested members while any online member is
 * not; with every member offline the message goes to the next member's session queue (delivered if it reconnects
 * in time).
 *
 * <p>Members change under the subscription tree's write lock and are published as a copy-on-write array, so a
 * match reads them without a lock.
 */
final class SharedGroup {

    private volatile Subscription[] members = new Subscription[0];
    private final AtomicInteger cursor = new AtomicInteger();

    /** @return the member subscription it replaced, or {@code null}; called under the tree's write lock */
    Subscription put(Subscription subscription) {
        subscription.joined(this);
        Subscription[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i].subscriber() == subscription.subscriber()) {
                Subscription[] copy = current.clone();
                Subscription previous = copy[i];
                copy[i] = subscription;
                members = copy;
                return previous;
            }
        }
        Subscription[] copy = Arrays.copyOf(current, current.length + 1);
        copy[current.length] = subscription;
        members = copy;
        return null;
    }

    /** @return whether the subscriber was a member; called under the tree's write lock */
    boolean remove(Subscriber subscriber) {
        Subscription[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i].subscriber() == subscriber) {
                Subscription[] copy = new Subscription[current.length - 1];
                System.arraycopy(current, 0, copy, 0, i);
                System.arraycopy(current, i + 1, copy, i, current.length - i - 1);
                members = copy;
                return true;
            }
        }
        return false;
    }

    /**
     * Every online member was congested when a message was routed to the group: the source waits until any of
     * them has caught up, not only the one that got the message (which may be a member that stopped reading).
     */
    void awaitAnyMember(FlowSource source) {
        for (Subscription member : members) {
            if (member.subscriber().isOnline()) {
                member.subscriber().backlog().await(source);
            }
        }
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    /**
     * @return the member that gets the next message, or {@code null} if the group is empty: round robin among the
     *     online members, skipping those whose backlog is congested while another online member is not (a slow
     *     member should not pace the publishers when the group has room elsewhere); with all of them congested, the
     *     one least behind; members that stopped reading (stalled) only when no other member is online
     */
    Subscription next() {
        Subscription[] current = members;
        int n = current.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        Subscription leastBehind = null;
        int leastBacklog = Integer.MAX_VALUE;
        Subscription stalled = null;
        for (int i = 0; i < n; i++) {
            Subscription candidate = current[(start + i) % n];
            Subscriber subscriber = candidate.subscriber();
            if (!subscriber.isOnline()) {
                continue;
            }
            Backlog backlog = subscriber.backlog();
            if (backlog.isStalled()) {
                // a member that stopped reading gets messages only when every online member has
                if (stalled == null) {
                    stalled = candidate;
                }
                continue;
            }
            if (!backlog.isCongested()) {
                return candidate;
            }
            int size = backlog.size();
            if (size < leastBacklog) {
                leastBacklog = size;
                leastBehind = candidate;
            }
        }
        if (leastBehind != null) {
            return leastBehind;
        }
        return stalled != null ? stalled : current[start];
    }
}
