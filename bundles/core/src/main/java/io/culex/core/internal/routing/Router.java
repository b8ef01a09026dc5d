package io.culex.core.internal.routing;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Routes a message to the subscribers whose filters match it, from the publisher's event loop.
 *
 * <p>Subscribers owned by the same loop get the message at once. Deliveries to other loops are collected per target
 * loop and handed over in one task per target loop after the current burst of work (the read burst of all
 * connections the loop is serving), not one task per message: cross-thread hand-offs are the expensive part.
 *
 * <p>A subscriber with several matching subscriptions gets one copy, at the highest QoS among them
 * (MQTT 3.1.1 3.3.5, MQTT 5 "overlapping subscriptions").
 *
 * <p>Flow control: every message is delivered (nothing is dropped here), but a message that reaches a subscriber
 * whose {@link Backlog} is congested pauses its {@link FlowSource} until that subscriber has caught up. Messages
 * handed to other loops count in the target's backlog until taken, so the hand-off is bounded too.
 */
public final class Router {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Router.class);

    private final SubscriptionTree subscriptions;
    private final FastThreadLocal<Scratch> scratch = new FastThreadLocal<>() {
        @Override
        protected Scratch initialValue() {
            return new Scratch();
        }
    };

    public Router(SubscriptionTree subscriptions) {
        this.subscriptions = subscriptions;
    }

    /**
     * Route one message. Must run on an event loop thread. The caller keeps its reference to the message.
     *
     * @param message the message
     * @param current the event loop running this call
     * @param source where the message comes from, paused if it reaches a congested subscriber; {@code null} for
     *     the broker's own messages, which are never held back
     * @return how many subscribers it was handed to (those that only {@linkplain Subscriber.Interest#OBSERVES
     *     observe} it do not count)
     */
    public int route(Message message, EventLoop current, FlowSource source) {
        return route(message, current, source, null, null, null);
    }

    /**
     * {@link #route(Message, EventLoop, FlowSource)}, with only some share groups served.
     *
     * @param shareGroups the shared filters ({@code $share/<group>/<filter>}) whose groups may receive the message;
     *     {@code null}: every group (a cluster serves each group on one node)
     * @param recipients the client sessions whose (non-shared) subscriptions may receive the message; {@code null}:
     *     every subscriber. Share groups are governed by {@code shareGroups} alone
     * @param excluded the client sessions whose (non-shared) subscriptions do not receive it; {@code null}: none
     */
    public int route(Message message, EventLoop current, FlowSource source, java.util.Set<String> shareGroups,
                     java.util.Set<String> recipients, java.util.Set<String> excluded) {
        Scratch s = scratch.get();
        List<Subscription> matches = s.matches;
        matches.clear();
        subscriptions.match(message.topic(), matches);
        int size = matches.size();
        if (size == 0) {
            return 0;
        }
        int delivered = 0;
        Map<Subscriber, Subscription> overlapping = null;
        for (int i = 0; i < size; i++) {
            Subscription sub = matches.get(i);
            if (!sub.accepts(message)
                    || (shareGroups != null && sub.shareGroup() != null && !shareGroups.contains(sub.key()))) {
                continue;
            }
            Subscriber subscriber = sub.subscriber();
            if (sub.shareGroup() == null && (recipients != null || excluded != null)
                    && !chosen(subscriber, recipients, excluded)) {
                continue;
            }
            if (subscriber.subscriptionCount() > 1) {
                // deliver these after the loop, once each, with the matching subscriptions merged
                if (overlapping == null) {
                    overlapping = s.overlapping;
                }
                overlapping.merge(subscriber, sub, Subscription::mergedWith);
            } else {
                delivered += offer(s, subscriber, message, sub, current, source);
            }
        }
        if (overlapping != null) {
            for (Map.Entry<Subscriber, Subscription> e : overlapping.entrySet()) {
                delivered += offer(s, e.getKey(), message, e.getValue(), current, source);
            }
            overlapping.clear();
        }
        matches.clear();
        return delivered;
    }

    /** @return 1 if the subscriber took the message and counts as reached, else 0 (declined, or only observed) */
    private int offer(Scratch s, Subscriber subscriber, Message message, Subscription sub, EventLoop current,
                      FlowSource source) {
        Subscriber.Interest interest = subscriber.interest(message);
        if (interest == Subscriber.Interest.DECLINES) {
            return 0;
        }
        dispatch(s, subscriber, message, sub, current, source);
        return interest == Subscriber.Interest.TAKES ? 1 : 0;
    }

    /** @return whether a subscriber (of a non-shared subscription) is among the recipients and not excluded */
    private static boolean chosen(Subscriber subscriber, java.util.Set<String> recipients,
                                  java.util.Set<String> excluded) {
        boolean session = subscriber.isClientSession();
        if (recipients != null && !(session && recipients.contains(subscriber.clientId()))) {
            return false;
        }
        return excluded == null || !(session && excluded.contains(subscriber.clientId()));
    }

    private void dispatch(Scratch s, Subscriber subscriber, Message message, Subscription sub, EventLoop current,
                          FlowSource source) {
        EventLoop target = subscriber.loop();
        Backlog backlog = subscriber.backlog();
        // a share group routes around a member that becomes congested; only a member chosen while congested
        // (every online member is) paces the publisher
        boolean shared = sub.shareGroup() != null;
        boolean chosenCongested = shared && backlog.isCongested();
        if (target == current) {
            subscriber.deliver(message, sub);
        } else {
            backlog.handedOver(message.payloadSize());
            handOff(s, target, subscriber, message, sub, current);
        }
        if (source == null) {
            return;
        }
        if (!shared) {
            if (backlog.isCongested()) {
                backlog.await(source);
            }
        } else if (chosenCongested) {
            SharedGroup group = sub.group();
            if (group != null) {
                group.awaitAnyMember(source);
            } else {
                backlog.await(source);
            }
        }
    }

    private static void handOff(Scratch s, EventLoop target, Subscriber subscriber, Message message,
                                Subscription sub, EventLoop current) {
        Batch batch = s.pending.get(target);
        if (batch == null) {
            batch = new Batch();
            s.pending.put(target, batch);
            if (!s.handOffScheduled) {
                s.handOffScheduled = true;
                current.execute(s.handOff);
            }
        }
        Settlement settlement = message.settlement();
        if (settlement != null) {
            settlement.add();
        }
        batch.add(subscriber, message.retain(), sub);
    }

    /** Per-thread reusable state: nothing on the routing path allocates per message beyond what it must. */
    private static final class Scratch {
        final List<Subscription> matches = new ArrayList<>();
        final Map<Subscriber, Subscription> overlapping = new IdentityHashMap<>();
        final Map<EventLoop, Batch> pending = new IdentityHashMap<>();
        boolean handOffScheduled;
        final Runnable handOff = this::handOff;

        private void handOff() {
            handOffScheduled = false;
            for (Map.Entry<EventLoop, Batch> e : pending.entrySet()) {
                e.getKey().execute(e.getValue());
            }
            pending.clear();
        }
    }

    /** Deliveries for one target loop, run there as one task. */
    private static final class Batch implements Runnable {
        private Subscriber[] subscribers = new Subscriber[8];
        private Message[] messages = new Message[8];
        private Subscription[] subscriptions = new Subscription[8];
        private int size;

        void add(Subscriber subscriber, Message message, Subscription sub) {
            if (size == subscribers.length) {
                int n = size * 2;
                subscribers = java.util.Arrays.copyOf(subscribers, n);
                messages = java.util.Arrays.copyOf(messages, n);
                subscriptions = java.util.Arrays.copyOf(subscriptions, n);
            }
            subscribers[size] = subscriber;
            messages[size] = message;
            subscriptions[size] = sub;
            size++;
        }

        @Override
        public void run() {
            for (int i = 0; i < size; i++) {
                Message message = messages[i];
                try {
                    subscribers[i].deliver(message, subscriptions[i]);
                } catch (RuntimeException e) {
                    // one subscriber's failure must not cost the others their messages
                    LOG.error("Delivery of {} to {} failed: {}", message, subscribers[i], e.toString(), e);
                } finally {
                    subscribers[i].backlog().taken(message.payloadSize());
                    Settlement settlement = message.settlement();
                    if (settlement != null) {
                        settlement.done();
                    }
                    message.release();
                }
            }
        }
    }
}
