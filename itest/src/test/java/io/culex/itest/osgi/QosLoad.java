package io.culex.itest.osgi;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Steady QoS 1 traffic between {@code n} MQTT 3.1.1 clients, with exact accounting. Client {@code i} publishes to
 * {@code load/i} and subscribes to {@code load/(i+1 mod n)}, so every client both publishes and receives and every
 * stream has exactly one subscriber. Each stream is a sequence 0, 1, 2, ...; a message counts as <em>sent</em>
 * when its PUBACK came back, and must then arrive, once and in order.
 *
 * <p>A scheduler thread paces the publishers: every tick each client publishes its next message unless it already
 * has {@link #WINDOW} unacknowledged, so a slow broker slows the load instead of piling it up in the clients.
 */
final class QosLoad implements AutoCloseable {

    /** Unacknowledged messages a client may have at once (below Paho's default maximum of 10). */
    static final int WINDOW = 8;
    private static final String PREFIX = "load/";

    private final int port;
    private final List<Stream> streams = new ArrayList<>();
    private final List<MqttAsyncClient> clients = new ArrayList<>();
    /** Client ids whose connection was lost, with the cause. */
    private final Set<String> lostConnections = ConcurrentHashMap.newKeySet();
    /** Publishes the client refused or that completed with an error. */
    private final AtomicInteger publishFailures = new AtomicInteger();
    /** Sent (acknowledged) messages that have not arrived yet, over all streams. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Object drained = new Object();
    private ScheduledExecutorService pacer;

    /** One publisher's messages: what was acknowledged to it and what its subscriber received. */
    private static final class Stream {
        final int index;
        final BitSet acknowledged = new BitSet();
        final BitSet received = new BitSet();
        final AtomicInteger inFlight = new AtomicInteger();
        /** System.nanoTime() per sequence number: publish called, PUBACK came, message arrived (0: not yet). */
        long[] publishedAt = new long[1024];
        long[] acknowledgedAt = new long[1024];
        long[] receivedAt = new long[1024];
        int nextSequence;
        int highestReceived = -1;
        int duplicates;
        int outOfOrder;
        int failed;

        Stream(int index) {
            this.index = index;
        }

        /** Make room for a sequence number; under the stream's lock. */
        void ensure(int sequence) {
            if (sequence >= publishedAt.length) {
                int length = Math.max(sequence + 1, publishedAt.length * 2);
                publishedAt = java.util.Arrays.copyOf(publishedAt, length);
                acknowledgedAt = java.util.Arrays.copyOf(acknowledgedAt, length);
                receivedAt = java.util.Arrays.copyOf(receivedAt, length);
            }
        }
    }

    QosLoad(int port) {
        this.port = port;
    }

    /** Connect {@code n} clients with the options {@code login} gives and subscribe each to its stream. */
    void connect(int n, Supplier<MqttConnectOptions> login) throws MqttException {
        for (int i = 0; i < n; i++) {
            streams.add(new Stream(i));
        }
        List<IMqttToken> connects = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "load-" + i;
            MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
            client.setCallback(new MqttCallback() {
                @Override
                public void connectionLost(Throwable cause) {
                    lostConnections.add(id + ": " + cause);
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    arrived(topic, message.getPayload());
                }

                @Override
                public void deliveryComplete(IMqttDeliveryToken token) {
                }
            });
            MqttConnectOptions options = login.get();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setCleanSession(true);
            options.setAutomaticReconnect(false);
            options.setMaxInflight(WINDOW + 2);
            options.setConnectionTimeout(20);
            clients.add(client);
            connects.add(client.connect(options));
        }
        for (IMqttToken connect : connects) {
            connect.waitForCompletion(30_000);
        }
        List<IMqttToken> subscribes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            subscribes.add(clients.get(i).subscribe(PREFIX + ((i + 1) % n), 1));
        }
        for (IMqttToken subscribe : subscribes) {
            subscribe.waitForCompletion(30_000);
            if (subscribe.getGrantedQos()[0] != 1) {
                throw new AssertionError("a load subscription was granted " + subscribe.getGrantedQos()[0]);
            }
        }
    }

    /** Start publishing: every {@code intervalMillis} each client sends its next message if its window allows. */
    void start(long intervalMillis) {
        pacer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "churn-load-pacer");
            t.setDaemon(true);
            return t;
        });
        pacer.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        for (Stream stream : streams) {
            if (stream.inFlight.get() >= WINDOW) {
                continue;
            }
            int sequence;
            synchronized (stream) {
                sequence = stream.nextSequence++;
                stream.ensure(sequence);
                stream.publishedAt[sequence] = System.nanoTime();
            }
            stream.inFlight.incrementAndGet();
            try {
                clients.get(stream.index).publish(PREFIX + stream.index,
                        Integer.toString(sequence).getBytes(StandardCharsets.US_ASCII), 1, false, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acknowledged(stream, sequence);
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable failure) {
                                failed(stream);
                            }
                        });
            } catch (MqttException | RuntimeException e) {
                failed(stream);
            }
        }
    }

    private void acknowledged(Stream stream, int sequence) {
        long now = System.nanoTime();
        synchronized (stream) {
            stream.acknowledged.set(sequence);
            stream.acknowledgedAt[sequence] = now;
            if (!stream.received.get(sequence)) {
                pending.incrementAndGet();
            }
        }
        stream.inFlight.decrementAndGet();
        signal();
    }

    private void failed(Stream stream) {
        synchronized (stream) {
            stream.failed++;
        }
        publishFailures.incrementAndGet();
        stream.inFlight.decrementAndGet();
        signal();
    }

    private void arrived(String topic, byte[] payload) {
        Stream stream = streams.get(Integer.parseInt(topic.substring(PREFIX.length())));
        int sequence = Integer.parseInt(new String(payload, StandardCharsets.US_ASCII));
        long now = System.nanoTime();
        synchronized (stream) {
            if (stream.received.get(sequence)) {
                stream.duplicates++;
                return;
            }
            stream.received.set(sequence);
            stream.ensure(sequence);
            stream.receivedAt[sequence] = now;
            if (sequence < stream.highestReceived) {
                stream.outOfOrder++;
            }
            stream.highestReceived = Math.max(stream.highestReceived, sequence);
            if (stream.acknowledged.get(sequence)) {
                pending.decrementAndGet();
            }
        }
        signal();
    }

    private void signal() {
        synchronized (drained) {
            drained.notifyAll();
        }
    }

    /**
     * Stop publishing, wait for the acknowledgements of what is in flight, then for the messages to arrive.
     *
     * @param untilLastArrives wait only until each stream's last acknowledged message has arrived (when some may
     *     be lost for good, as while a required authorizer is gone), instead of every acknowledged message
     * @return whether that happened within the time
     */
    boolean stopAndDrain(long timeoutMillis, boolean untilLastArrives) throws InterruptedException {
        pacer.shutdown();
        if (!pacer.awaitTermination(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the load's pacer did not stop");
        }
        return await(timeoutMillis, () -> inFlight() == 0 && (untilLastArrives ? lastArrived() : pending.get() == 0));
    }

    /** @return whether every stream received a message published after {@code nanoTime} within the time */
    boolean awaitFlowingSince(long nanoTime, long timeoutMillis) throws InterruptedException {
        return await(timeoutMillis, () -> {
            for (Stream stream : streams) {
                synchronized (stream) {
                    int last = stream.highestReceived;
                    if (last < 0 || stream.publishedAt[last] - nanoTime < 0) {
                        return false;
                    }
                }
            }
            return true;
        });
    }

    private boolean lastArrived() {
        for (Stream stream : streams) {
            synchronized (stream) {
                int last = stream.acknowledged.length() - 1;
                if (last >= 0 && !stream.received.get(last)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Wait for the condition, re-checked whenever a message arrives or an acknowledgement comes. */
    private boolean await(long timeoutMillis, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (drained) {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    private int inFlight() {
        int sum = 0;
        for (Stream stream : streams) {
            sum += stream.inFlight.get();
        }
        return sum;
    }

    /** @return the connections lost so far ("id: cause") */
    Set<String> lostConnections() {
        return lostConnections;
    }

    /** @return whether every client is connected */
    boolean allConnected() {
        for (MqttAsyncClient client : clients) {
            if (!client.isConnected()) {
                return false;
            }
        }
        return true;
    }

    /** @return about how much heap the accounting holds (it grows with the messages sent) */
    long bookkeepingBytes() {
        long bytes = 0;
        for (Stream stream : streams) {
            synchronized (stream) {
                bytes += 3L * 8 * stream.publishedAt.length + (stream.acknowledged.size() + stream.received.size()) / 8;
            }
        }
        return bytes;
    }

    /** @return the messages acknowledged to their publishers so far */
    long sent() {
        long sum = 0;
        for (Stream stream : streams) {
            synchronized (stream) {
                sum += stream.acknowledged.cardinality();
            }
        }
        return sum;
    }

    /** @return the fewest messages any one publisher has had acknowledged (the load reaches every client) */
    int fewestSentByOneClient() {
        int fewest = Integer.MAX_VALUE;
        for (Stream stream : streams) {
            synchronized (stream) {
                fewest = Math.min(fewest, stream.acknowledged.cardinality());
            }
        }
        return fewest;
    }

    /** What the accounting found; only meaningful after {@link #stopAndDrain}. */
    Result result() {
        long sent = 0;
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long unsolicited = 0;
        StringBuilder lostDetail = new StringBuilder();
        for (Stream stream : streams) {
            synchronized (stream) {
                sent += stream.acknowledged.cardinality();
                received += stream.received.cardinality();
                BitSet missing = (BitSet) stream.acknowledged.clone();
                missing.andNot(stream.received);
                lost += missing.cardinality();
                if (!missing.isEmpty() && lostDetail.length() < 2000) {
                    lostDetail.append(" load/").append(stream.index).append(": ").append(missing);
                }
                BitSet extra = (BitSet) stream.received.clone();
                extra.andNot(stream.acknowledged);
                unsolicited += extra.cardinality();
                duplicates += stream.duplicates;
                outOfOrder += stream.outOfOrder;
            }
        }
        return new Result(sent, received, lost, duplicates, outOfOrder, unsolicited, publishFailures.get(),
                lostDetail.toString());
    }

    /**
     * For a broker that fails closed while a required authorizer is gone: the acknowledged messages that did not
     * arrive although no gap can explain them. A message's checks happened between its publish and the later of
     * its PUBACK and the arrival of the next message of its stream (the subscriber's checks of one stream run in
     * order on one event loop), so it may be lost only if that span overlaps a gap.
     *
     * @param gaps {@code {start, end}} in System.nanoTime(): from just before an update or uninstall began to
     *     when the next revision was seen in effect
     * @return the unexplained losses ("load/i #seq"), empty if there are none
     */
    List<String> lossesOutside(List<long[]> gaps) {
        List<String> unexplained = new ArrayList<>();
        for (Stream stream : streams) {
            synchronized (stream) {
                BitSet missing = (BitSet) stream.acknowledged.clone();
                missing.andNot(stream.received);
                for (int k = missing.nextSetBit(0); k >= 0; k = missing.nextSetBit(k + 1)) {
                    int next = stream.received.nextSetBit(k + 1);
                    long start = stream.publishedAt[k];
                    long end = Math.max(stream.acknowledgedAt[k], next < 0 ? Long.MAX_VALUE : stream.receivedAt[next]);
                    boolean explained = false;
                    for (long[] gap : gaps) {
                        if (gap[0] <= end && start <= gap[1]) {
                            explained = true;
                            break;
                        }
                    }
                    if (!explained) {
                        unexplained.add("load/" + stream.index + " #" + k);
                    }
                }
            }
        }
        return unexplained;
    }

    /**
     * @param gaps as for {@link #lossesOutside}, with the kind of gap as a third element (0 or 1)
     * @return the lost messages per kind of the first gap each overlaps
     */
    long[] lossesByGap(List<long[]> gaps) {
        long[] counts = new long[2];
        for (Stream stream : streams) {
            synchronized (stream) {
                BitSet missing = (BitSet) stream.acknowledged.clone();
                missing.andNot(stream.received);
                for (int k = missing.nextSetBit(0); k >= 0; k = missing.nextSetBit(k + 1)) {
                    int next = stream.received.nextSetBit(k + 1);
                    long start = stream.publishedAt[k];
                    long end = Math.max(stream.acknowledgedAt[k], next < 0 ? Long.MAX_VALUE : stream.receivedAt[next]);
                    for (long[] gap : gaps) {
                        if (gap[0] <= end && start <= gap[1]) {
                            counts[(int) gap[2]]++;
                            break;
                        }
                    }
                }
            }
        }
        return counts;
    }

    /**
     * @param sent messages acknowledged to their publishers
     * @param received distinct messages that arrived
     * @param lost acknowledged messages that did not arrive
     * @param unsolicited arrived messages whose publish was not acknowledged (refused or failed publishes)
     * @param failedPublishes publishes the client refused or that failed
     * @param lostDetail which sequence numbers of which streams were lost (abridged)
     */
    record Result(long sent, long received, long lost, long duplicates, long outOfOrder, long unsolicited,
                  long failedPublishes, String lostDetail) {
    }

    @Override
    public void close() {
        if (pacer != null) {
            pacer.shutdownNow();
        }
        for (MqttAsyncClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect(5_000).waitForCompletion(5_000);
                }
                client.close();
            } catch (MqttException e) {
                // the outcome of the test is decided by then
            }
        }
    }
}
