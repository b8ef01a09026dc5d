package io.culex.core.internal.validation;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.mqtt.MqttMessageFactory;

/**
 * Frames the inbound byte stream into whole MQTT packets and checks each against {@link PacketRules} before
 * Netty's {@code MqttDecoder} parses it. A packet that passes goes on as one buffer (the decoder then never waits
 * for more bytes mid-packet); the first that breaks a rule goes on as an invalid message whose cause is a
 * {@link PacketViolation}, after which every further byte is discarded: the connection answers and closes.
 *
 * <p>A packet longer than the maximum is refused from its fixed header, before its bytes are buffered.
 */
public final class InboundValidator extends ByteToMessageDecoder {

    private final int maximumPacketSize;
    private int level;
    private boolean connectSeen;
    private boolean failed;

    /**
     * @param maximumPacketSize the largest packet accepted, fixed header included (MQTT 5's Maximum Packet Size, and
     *                          what Netty's decoder counts)
     */
    public InboundValidator(int maximumPacketSize) {
        this.maximumPacketSize = maximumPacketSize;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int available = in.writerIndex();
        int type = in.getUnsignedByte(start) >>> 4;
        if (!connectSeen && type != PacketRules.CONNECT) {
            // [MQTT-3.1.0-1]; judged from the first byte, so that an HTTP request or other stray bytes close at once
            fail(in, out, PacketViolation.protocolError(0, PacketRules.typeName(type) + " before CONNECT"));
            return;
        }
        int position = start + 1;
        int remaining = 0;
        for (int digit = 0; ; digit++) {
            if (position >= available) {
                return; // the remaining length is not complete yet
            }
            int b = in.getUnsignedByte(position++);
            remaining |= (b & 0x7F) << (7 * digit);
            if ((b & 0x80) == 0) {
                break;
            }
            if (digit == 3) {
                fail(in, out, PacketViolation.malformed(level, "remaining length longer than four bytes"));
                return;
            }
        }
        long size = (long) position - start + remaining;
        if (size > maximumPacketSize) {
            fail(in, out, new PacketViolation(PacketViolation.PACKET_TOO_LARGE, level, "a packet of " + size
                    + " bytes, larger than the maximum of " + maximumPacketSize + " bytes"));
            return;
        }
        int end = position + remaining;
        if (end > available) {
            return;
        }
        try {
            level = PacketRules.check(in, start, position, end, level);
        } catch (PacketViolation violation) {
            fail(in, out, violation);
            return;
        }
        connectSeen = true;
        out.add(in.readRetainedSlice(end - start));
    }

    private void fail(ByteBuf in, List<Object> out, PacketViolation violation) {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(MqttMessageFactory.newInvalidMessage(violation));
    }
}
