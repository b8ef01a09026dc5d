package io.culex.core.internal.routing;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The members of one share group on one filter. Each matching message goes to one member, round robin, skipping
 * members whose client is offline while any member is online; with every member offline the message goes to the
 * next member's session queue (delivered if it reconnects in time).
 *
 * <p>Members change under the subscription tree's write lock and are published as a copy-on-write array, so a
 * match reads them without a lock.
 */
final class SharedGroup {

    private volatile Subscription[] members = new Subscription[0];
    private final AtomicInteger cursor = new AtomicInteger();

    /** @return the member subscription it replaced, or {@code null}; called under the tree's write lock */
    Subscription put(Subscription subscription) {
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

    boolean isEmpty() {
        return members.length == 0;
    }

    /** @return the member that gets the next message, or {@code null} if the group is empty */
    Subscription next() {
        Subscription[] current = members;
        int n = current.length;
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(cursor.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Subscription candidate = current[(start + i) % n];
            if (candidate.subscriber().isOnline()) {
                return candidate;
            }
        }
        return current[start];
    }
}
