package dev.covet.websocket;

import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One open WebSocket connection as the library manages it: identity, attributes and a serialized outbound queue.
 *
 * <p>Every send goes through the connection's bounded outbound queue, so sends from any number of threads never
 * overlap on the underlying session (some containers throw when they do). Sends are asynchronous and return at
 * once; when the queue is full the connection is closed with {@link CloseCodes#SLOW_CONSUMER}. All methods are
 * thread-safe. Instances are not CDI beans; obtain them from {@link Inbound#connection()} or lifecycle events.
 */
public interface Connection {

    /**
     * The connection's id, unique within this server.
     *
     * @return the id, never null
     */
    String id();

    /**
     * The authenticated user, established at the handshake.
     *
     * @return the principal, or empty when anonymous connections are allowed and none was presented
     */
    Optional<Principal> principal();

    /**
     * The principal's roles, from the configured roles claim, the API key entry, the container, or a
     * {@code HandshakeCheck}; what {@code @RolesAllowed} on an observer is checked against.
     *
     * @return the roles; empty for anonymous connections
     */
    Set<String> roles();

    /**
     * The peer's address as the container reports it (a proxy's address when behind one).
     *
     * @return the remote address, or empty when the container does not expose it
     */
    Optional<InetSocketAddress> remoteAddress();

    /**
     * Application attributes for this connection; a concurrent map that lives as long as the connection.
     *
     * @return the mutable attribute map, never null
     */
    Map<String, Object> attributes();

    /**
     * Pushes {@code {"event":<event>,"data":<data>}} to this connection.
     *
     * @param event the event name
     * @param data the body, serialized with JSON-B; may be null
     */
    void send(String event, Object data);

    /**
     * Pushes a binary envelope (see {@code docs/protocol.md}) with the given event name and bytes.
     *
     * @param event the event name
     * @param bytes the raw body
     */
    void sendBinary(String event, byte[] bytes);

    /**
     * Whether the connection is still open.
     *
     * @return true until the connection starts closing
     */
    boolean isOpen();

    /**
     * Closes the connection with the given close code and reason; does nothing if it is already closed.
     *
     * @param code a close code, see {@link CloseCodes}
     * @param reason a short reason, at most 123 bytes of UTF-8
     */
    void close(int code, String reason);
}
