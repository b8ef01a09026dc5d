package io.culex.core.internal.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.culex.api.ClientInfo;
import io.culex.api.ListenerInfo;
import io.culex.api.PublishProperties;
import io.culex.api.RetainedMessage;
import io.culex.api.SessionInfo;
import io.culex.core.internal.engine.Engine;
import io.culex.core.internal.routing.ForwardedProperties;
import io.culex.core.internal.routing.Message;
import io.culex.core.internal.routing.Topics;
import io.culex.core.internal.session.Session;
import io.culex.core.internal.settings.ListenerSettings;
import io.culex.core.internal.engine.ServingListener;
import io.netty.buffer.ByteBufUtil;

/**
 * The broker's answers to an administration surface (the {@code Broker} queries of API 1.4): immutable snapshots,
 * each read where its state lives (a session on its own loop, the retained store under its lock).
 */
public final class AdminQueries {

    private AdminQueries() {
    }

    /** @return every session, each snapshot taken on the session's loop */
    public static CompletionStage<List<SessionInfo>> sessions(Engine engine) {
        List<CompletableFuture<SessionInfo>> parts = new ArrayList<>();
        for (Session session : engine.sessions().all()) {
            CompletableFuture<SessionInfo> part = new CompletableFuture<>();
            parts.add(part);
            try {
                session.loop().execute(() -> part.complete(session.isDestroyed() ? null : snapshot(session)));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                part.complete(null); // the broker is stopping
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture[0])).thenApply(done -> {
            List<SessionInfo> result = new ArrayList<>(parts.size());
            for (CompletableFuture<SessionInfo> part : parts) {
                SessionInfo info = part.join();
                if (info != null) {
                    result.add(info);
                }
            }
            return Collections.unmodifiableList(result);
        });
    }

    private static SessionInfo snapshot(Session s) {
        long expiry = s.expirySeconds() == Session.NEVER_EXPIRES ? -1 : s.expirySeconds();
        return new SessionView(s.clientId(), s.connectedClient(), expiry, s.subscriptionCount(), s.queuedMessages(),
                s.inflightMessages());
    }

    /** @return the retained messages matching the filter, at most {@code limit} */
    public static List<RetainedMessage> retained(Engine engine, String filter, int limit) {
        if (filter == null || !Topics.isValidTopicFilter(filter)) {
            throw new IllegalArgumentException("not a valid topic filter: " + filter);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: " + limit);
        }
        List<Message> matched = new ArrayList<>();
        engine.retained().match(filter, matched);
        List<RetainedMessage> result = new ArrayList<>(Math.min(limit, matched.size()));
        long now = System.nanoTime();
        for (Message m : matched) {
            try {
                if (result.size() < limit && !(m.hasExpiry() && m.isExpired(now))) {
                    result.add(new RetainedView(m.topic(), ByteBufUtil.getBytes(m.payload()), m.qos(),
                            m.hasExpiry() ? m.remainingExpirySeconds(now) : -1, ForwardedProperties.of(m.properties())));
                }
            } finally {
                m.release();
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** @return the listeners serving now */
    public static List<ListenerInfo> listeners(Engine engine) {
        List<ListenerInfo> result = new ArrayList<>();
        for (ServingListener l : engine.listeners()) {
            result.add(l.info());
        }
        return Collections.unmodifiableList(result);
    }

    private static final class SessionView implements SessionInfo {
        private final String clientId;
        private final ClientInfo client;
        private final long expiry;
        private final int subscriptions;
        private final int queued;
        private final int inflight;

        SessionView(String clientId, ClientInfo client, long expiry, int subscriptions, int queued, int inflight) {
            this.clientId = clientId;
            this.client = client;
            this.expiry = expiry;
            this.subscriptions = subscriptions;
            this.queued = queued;
            this.inflight = inflight;
        }

        @Override public String clientId() { return clientId; }
        @Override public ClientInfo client() { return client; }
        @Override public long expiryIntervalSeconds() { return expiry; }
        @Override public int subscriptions() { return subscriptions; }
        @Override public int queuedMessages() { return queued; }
        @Override public int inflightMessages() { return inflight; }

        @Override
        public String toString() {
            return "Session[" + clientId + (client == null ? ", offline" : "") + ", " + queued + " queued, "
                    + inflight + " inflight]";
        }
    }

    private static final class RetainedView implements RetainedMessage {
        private final String topic;
        private final byte[] payload;
        private final int qos;
        private final long expiry;
        private final PublishProperties properties;

        RetainedView(String topic, byte[] payload, int qos, long expiry, PublishProperties properties) {
            this.topic = topic;
            this.payload = payload;
            this.qos = qos;
            this.expiry = expiry;
            this.properties = properties;
        }

        @Override public String topic() { return topic; }
        @Override public byte[] payload() { return payload.clone(); }
        @Override public int qos() { return qos; }
        @Override public long messageExpiryInterval() { return expiry; }
        @Override public PublishProperties properties() { return properties; }
    }
}
