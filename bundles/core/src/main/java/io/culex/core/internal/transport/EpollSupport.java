package io.culex.core.internal.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;

/**
 * Keeps every reference to the epoll classes in one place, so that the broker runs where the optional
 * {@code io.netty.channel.epoll} package is not wired (NIO fallback).
 */
final class EpollSupport {

    private EpollSupport() {
    }

    static boolean isAvailable() {
        try {
            return io.netty.channel.epoll.Epoll.isAvailable();
        } catch (LinkageError e) {
            return false;
        }
    }

    static String unavailabilityCause() {
        try {
            Throwable cause = io.netty.channel.epoll.Epoll.unavailabilityCause();
            return cause == null ? "unknown" : cause.toString();
        } catch (LinkageError e) {
            return "the epoll classes are not present: " + e;
        }
    }

    static IoHandlerFactory ioHandlerFactory() {
        return io.netty.channel.epoll.EpollIoHandler.newFactory();
    }

    static Class<? extends ServerChannel> serverChannelType() {
        return io.netty.channel.epoll.EpollServerSocketChannel.class;
    }

    /** Unix domain sockets: Netty serves them with epoll only (the NIO transport has no equivalent here). */
    static Class<? extends ServerChannel> domainSocketServerChannelType() {
        return io.netty.channel.epoll.EpollServerDomainSocketChannel.class;
    }
}
