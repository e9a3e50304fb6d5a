package dev.covet.websocket;

import java.util.Optional;
import java.util.Set;

/**
 * Looks up this server's open connections, by id or by user: for direct messages, logout, or admin tools.
 *
 * <p>An {@code @ApplicationScoped} bean of the library: {@code @Inject Connections connections}. Thread-safe;
 * results are snapshots. In a cluster it sees this node's connections only.
 */
public interface Connections {

    /**
     * Finds a connection by its id.
     *
     * @param id the connection id
     * @return the connection, or empty when it is not open on this server
     */
    Optional<Connection> byId(String id);

    /**
     * Finds every open connection of a user (all their tabs and devices).
     *
     * @param user the principal name (JWT {@code sub})
     * @return an immutable snapshot, empty when the user has none
     */
    Set<Connection> byUser(String user);

    /**
     * Counts the open connections.
     *
     * @return the number of connections open now
     */
    int count();

    /**
     * Closes every connection of a user, on every node of a cluster, with {@link CloseCodes#REVOKED}: for logout
     * and for revoked credentials, which the library cannot learn about by itself.
     *
     * @param user the principal name
     * @param reason a short reason for the close frame (at most 123 bytes of UTF-8)
     * @return how many connections were closed on this node
     */
    int disconnect(String user, String reason);
}
