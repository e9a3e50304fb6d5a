package dev.covet.websocket.impl.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;

/**
 * Finds the peer address, which JSR-356 does not expose: Jetty, Tomcat and Undertow publish it as a user
 * property; Tyrus sessions and handshake requests have a {@code getRemoteAddr()} method, called reflectively so
 * Tyrus is never needed.
 */
final class RemoteAddresses {

    private static final String PROPERTY = "jakarta.websocket.endpoint.remoteAddress";

    private RemoteAddresses() {
    }

    static InetSocketAddress of(Session session) {
        Object published = session.getUserProperties().get(PROPERTY);
        if (published instanceof InetSocketAddress address) {
            return address;
        }
        return remoteAddr(session);
    }

    /**
     * The peer of a handshake, where the container's request says it (Tyrus's {@code getRemoteAddr()}).
     *
     * @param request the handshake request
     * @return the peer address with port 0, or null when the container does not say
     */
    static InetSocketAddress of(HandshakeRequest request) {
        return remoteAddr(request);
    }

    private static InetSocketAddress remoteAddr(Object source) {
        try {
            Object ip = source.getClass().getMethod("getRemoteAddr").invoke(source);
            return ip instanceof String literal ? new InetSocketAddress(InetAddress.getByName(literal), 0) : null;
        } catch (ReflectiveOperationException | UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
