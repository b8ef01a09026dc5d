package io.culex.sys.internal;

import io.culex.api.BrokerStatistics;

/** Counters a test sets by hand, in place of the broker's. */
final class CountingStatistics implements BrokerStatistics {
    long connected;
    long sessions;
    long maximumConnected;
    long publishReceived;
    long publishSent;
    long publishDropped;
    long bytesReceived;
    long bytesSent;
    long retained;
    long subscriptions;
    long uptime;
    long expired;
    long messagesReceived;
    long messagesSent;
    long publishBytesReceived;
    long publishBytesSent;
    long shared;
    long stored;
    long storedBytes;
    long sockets;
    long connects;

    @Override public long connectedClients() { return connected; }
    @Override public long sessions() { return sessions; }
    @Override public long maximumConnectedClients() { return maximumConnected; }
    @Override public long publishReceived() { return publishReceived; }
    @Override public long publishSent() { return publishSent; }
    @Override public long publishDropped() { return publishDropped; }
    @Override public long bytesReceived() { return bytesReceived; }
    @Override public long bytesSent() { return bytesSent; }
    @Override public long retainedMessages() { return retained; }
    @Override public long subscriptions() { return subscriptions; }
    @Override public long uptimeSeconds() { return uptime; }
    @Override public long disconnectedClients() { return sessions - connected; }
    @Override public long expiredClients() { return expired; }
    @Override public long messagesReceived() { return messagesReceived; }
    @Override public long messagesSent() { return messagesSent; }
    @Override public long publishBytesReceived() { return publishBytesReceived; }
    @Override public long publishBytesSent() { return publishBytesSent; }
    @Override public long sharedSubscriptions() { return shared; }
    @Override public long storedMessages() { return stored; }
    @Override public long storedMessageBytes() { return storedBytes; }
    @Override public long socketConnections() { return sockets; }
    @Override public long connectPackets() { return connects; }
}
