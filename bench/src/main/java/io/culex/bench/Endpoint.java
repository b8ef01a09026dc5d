package io.culex.bench;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * One load generator connection, publisher or subscriber, on one event loop. Packets are parsed in place from
 * Netty's cumulation buffer; acknowledgements and publishes are written in batches and flushed once per burst.
 */
final class Endpoint extends ByteToMessageDecoder {

    /** Publishes written per pump before giving other connections on the loop their turn. */
    private static final int BATCH = 64;

    private final Options options;
    private final String clientId;
    private final String filter;
    private final byte[] topic;
    private final int index;
    private final Window window;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    final Tally tally;
    private ChannelHandlerContext ctx;
    private ByteBuf acks;
    private final Runnable pumpTask = this::pump;
    private final Runnable timedPump = () -> {
        pumpScheduled = false;
        pump();
    };
    /** A rate-limited pump is scheduled: one timer per publisher, however many events ask for a pump. */
    private boolean pumpScheduled;

    // publisher state, on the loop
    private boolean publishing;
    private long startNanos;
    private long sequence;
    private int inflight;
    private int nextPacketId = 1;
    volatile long windowFirst = -1;
    volatile long windowEnd = -1;
    volatile long acked;

    private Endpoint(Options options, String clientId, String filter, String topic, int index, Tally tally,
                     Window window) {
        this.options = options;
        this.clientId = clientId;
        this.filter = filter;
        this.topic = topic == null ? null : topic.getBytes(StandardCharsets.UTF_8);
        this.index = index;
        this.tally = tally;
        this.window = window;
    }

    static Endpoint publisher(Options o, String runId, int index, String topic, Window window) {
        return new Endpoint(o, "bench-" + runId + "-pub-" + index, null, topic, index, null, window);
    }

    static Endpoint subscriber(Options o, String runId, int index, String filter, Window window) {
        return new Endpoint(o, "bench-" + runId + "-sub-" + index, filter, null, index,
                new Tally(o.publishers, window), window);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        this.ctx = context;
        ByteBuf connect = context.alloc().buffer(64);
        Wire.connect(connect, clientId, options.protocol, 60, options.persistentSubscribers && filter != null);
        context.writeAndFlush(connect);
        super.channelActive(context);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        publishing = false;
        ready.completeExceptionally(new IllegalStateException(clientId + ": connection closed"));
        super.channelInactive(context);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        ready.completeExceptionally(cause);
        context.close();
    }

    @Override
    protected void decode(ChannelHandlerContext context, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 2) {
            int start = in.readerIndex();
            int first = in.getUnsignedByte(start);
            int remaining = 0;
            int multiplier = 1;
            int pos = start + 1;
            int digit;
            do {
                if (pos >= in.writerIndex()) {
                    return; // the length is not complete yet
                }
                digit = in.getUnsignedByte(pos++);
                remaining += (digit & 0x7F) * multiplier;
                multiplier <<= 7;
            } while ((digit & 0x80) != 0);
            if (in.writerIndex() - pos < remaining) {
                return;
            }
            handle(first, in, pos, remaining);
            in.readerIndex(pos + remaining);
        }
    }

    private void handle(int first, ByteBuf in, int body, int length) {
        int type = first >>> 4;
        switch (type) {
            case Wire.CONNACK:
                int code = in.getUnsignedByte(body + 1);
                if (code != 0) {
                    ready.completeExceptionally(new IllegalStateException(clientId + ": CONNACK " + code));
                    ctx.close();
                } else if (filter == null) {
                    ready.complete(null);
                } else {
                    ByteBuf sub = ctx.alloc().buffer(64);
                    Wire.subscribe(sub, 1, filter, options.qos, options.protocol);
                    ctx.writeAndFlush(sub);
                }
                break;
            case Wire.SUBACK:
                int granted = in.getUnsignedByte(body + length - 1);
                if (granted >= 0x80) {
                    ready.completeExceptionally(new IllegalStateException(clientId + ": SUBACK " + granted));
                } else {
                    ready.complete(null);
                }
                break;
            case Wire.PUBLISH:
                onPublish(first, in, body, length);
                break;
            case Wire.PUBACK:
                inflight--;
                acked++;
                break;
            default:
                // PINGRESP and anything else: nothing to do
        }
    }

    private void onPublish(int first, ByteBuf in, int body, int length) {
        long now = System.nanoTime();
        int qos = (first >>> 1) & 3;
        int pos = body;
        int topicLength = in.getUnsignedShort(pos);
        pos += 2 + topicLength;
        int packetId = 0;
        if (qos > 0) {
            packetId = in.getUnsignedShort(pos);
            pos += 2;
        }
        if (options.protocol == 5) {
            int propertiesLength = 0;
            int multiplier = 1;
            int digit;
            do {
                digit = in.getUnsignedByte(pos++);
                propertiesLength += (digit & 0x7F) * multiplier;
                multiplier <<= 7;
            } while ((digit & 0x80) != 0);
            pos += propertiesLength;
        }
        if (body + length - pos >= Wire.HEADER_BYTES && tally != null) {
            tally.record(in.getInt(pos + 8), in.getLong(pos + 12), in.getLong(pos), now);
        }
        if (qos > 0) {
            if (acks == null) {
                acks = ctx.alloc().buffer(256);
            }
            Wire.puback(acks, packetId);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) throws Exception {
        if (acks != null) {
            ByteBuf a = acks;
            acks = null;
            context.writeAndFlush(a);
        }
        if (publishing && options.qos > 0) {
            pump();
        }
        super.channelReadComplete(context);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) throws Exception {
        if (context.channel().isWritable() && publishing) {
            pump();
        }
        super.channelWritabilityChanged(context);
    }

    /** Start publishing (any thread); publishing stops by itself at the end of the measured window. */
    void startPublishing() {
        ctx.executor().execute(() -> {
            publishing = true;
            startNanos = System.nanoTime();
            pump();
        });
    }

    private void pump() {
        if (!publishing) {
            return;
        }
        long now = System.nanoTime();
        if (windowFirst < 0 && now >= window.start) {
            windowFirst = sequence;
        }
        if (now >= window.end) {
            windowEnd = sequence;
            publishing = false;
            return;
        }
        int budget = BATCH;
        if (options.rate > 0) {
            long allowed = (long) ((now - startNanos) * (options.rate / 1e9)) + 1 - sequence;
            if (allowed <= 0) {
                schedulePump();
                return;
            }
            budget = (int) Math.min(budget, allowed);
        }
        if (options.qos > 0) {
            budget = Math.min(budget, options.window - inflight);
            if (budget <= 0) {
                return; // a PUBACK pumps again
            }
        }
        if (!ctx.channel().isWritable()) {
            return; // writability pumps again
        }
        int packetSize = Wire.publishSize(topic, options.qos, options.size, options.protocol);
        ByteBuf batch = ctx.alloc().directBuffer(packetSize * budget);
        for (int i = 0; i < budget; i++) {
            int packetId = 0;
            if (options.qos > 0) {
                packetId = nextPacketId;
                nextPacketId = packetId == 65535 ? 1 : packetId + 1;
                inflight++;
            }
            Wire.publish(batch, topic, options.qos, packetId, options.protocol, now, index, sequence++, options.size);
        }
        ctx.writeAndFlush(batch, ctx.voidPromise());
        if (options.rate > 0) {
            schedulePump();
        } else if (options.qos == 0) {
            ctx.executor().execute(pumpTask); // after the other connections' turn
        }
    }

    private void schedulePump() {
        if (!pumpScheduled) {
            pumpScheduled = true;
            ctx.executor().schedule(timedPump, 1, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** The measured window starts (any thread): a publisher held back by the broker marks it here. */
    void markWindowStart() {
        ctx.executor().execute(() -> {
            if (windowFirst < 0) {
                windowFirst = sequence;
            }
        });
    }

    /** The measured window is over (any thread): stop publishing, even if the broker holds this publisher back. */
    CompletableFuture<Void> stopPublishing() {
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        ctx.executor().execute(() -> {
            if (windowFirst < 0) {
                windowFirst = sequence;
            }
            if (windowEnd < 0) {
                windowEnd = sequence;
            }
            publishing = false;
            stopped.complete(null);
        });
        return stopped;
    }

    void close() {
        if (ctx != null) {
            ctx.close();
        }
    }
}
