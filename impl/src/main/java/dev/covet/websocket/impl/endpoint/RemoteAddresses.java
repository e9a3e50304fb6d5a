package dev.covet.websocket.impl.endpoint;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import jakarta.websocket.Session;

/**
 * Finds the peer address, which JSR-356 does not expose: Jetty, Tomcat and Undertow publish it as a user
 * property; Tyrus sessions have a {@code getRemoteAddr()} method, called reflectively so Tyrus is never needed.
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
        try {
            Object ip = session.getClass().getMethod("getRemoteAddr").invoke(session);
            return ip instanceof String literal ? new InetSocketAddress(InetAddress.getByName(literal), 0) : null;
        } catch (ReflectiveOperationException | UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
