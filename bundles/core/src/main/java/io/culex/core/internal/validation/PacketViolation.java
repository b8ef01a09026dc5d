package io.culex.core.internal.validation;

import io.netty.handler.codec.DecoderException;

/**
 * An inbound packet that breaks the MQTT specification, with the reason code the specification gives for it: 0x81
 * Malformed Packet when the bytes cannot be parsed as the packet they claim to be, 0x82 Protocol Error when they parse
 * but break a rule, 0x95 Packet Too Large, 0x85 Client Identifier not valid. It travels to the connection as the
 * failed {@link io.netty.handler.codec.DecoderResult} of an invalid message, as Netty's own decoder failures do.
 *
 * <p>Made from hostile input, possibly many times a second: it carries no stack trace.
 */
public final class PacketViolation extends DecoderException {

    public static final int MALFORMED_PACKET = 0x81;
    public static final int PROTOCOL_ERROR = 0x82;
    public static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    public static final int PACKET_TOO_LARGE = 0x95;

    private static final long serialVersionUID = 1L;

    private final int reasonCode;
    private final int protocolLevel;

    PacketViolation(int reasonCode, int protocolLevel, String message) {
        super(message);
        this.reasonCode = reasonCode;
        this.protocolLevel = protocolLevel;
    }

    static PacketViolation malformed(int protocolLevel, String message) {
        return new PacketViolation(MALFORMED_PACKET, protocolLevel, message);
    }

    static PacketViolation protocolError(int protocolLevel, String message) {
        return new PacketViolation(PROTOCOL_ERROR, protocolLevel, message);
    }

    /** @return the MQTT 5 reason code for a DISCONNECT (or a CONNACK, when the CONNECT was at fault) */
    public int reasonCode() {
        return reasonCode;
    }

    /**
     * @return the protocol level (3, 4 or 5) of the connection, or of the CONNECT being refused; 0 before a CONNECT
     *         with a known protocol was seen
     */
    public int protocolLevel() {
        return protocolLevel;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
