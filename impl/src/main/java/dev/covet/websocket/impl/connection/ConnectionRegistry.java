package dev.covet.websocket.impl.connection;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.covet.websocket.CloseCodes;

/**
 * The open connections of this deployment, by session id; closes them all with 1001 on undeploy.
 *
 * <p>Application-scoped and thread-safe.
 */
@ApplicationScoped
public class ConnectionRegistry {

    private final Map<String, DefaultConnection> bySession = new ConcurrentHashMap<>();

    /** Adds a newly opened connection. */
    public void add(DefaultConnection connection) {
        bySession.put(connection.sessionId(), connection);
    }

    /** Removes a connection by its session id. */
    public Optional<DefaultConnection> remove(String sessionId) {
        return Optional.ofNullable(bySession.remove(sessionId));
    }

    /** @return a snapshot of the open connections */
    public Collection<DefaultConnection> all() {
        return List.copyOf(bySession.values());
    }

    /** Closes every open connection with {@link CloseCodes#GOING_AWAY}. */
    @PreDestroy
    public void closeAll() {
        all().forEach(c -> c.close(CloseCodes.GOING_AWAY, "server shutting down"));
    }
}
