package dev.covet.websocket.impl.connection;

import java.security.Principal;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.Connection;
import dev.covet.websocket.Connections;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The open connections of this deployment, by id and by user, and the admission limits (global, per IP, per
 * user) that decide whether a new one may join them. Closes them all with 1001 on undeploy.
 *
 * <p>Application-scoped and thread-safe. Each limit is checked and taken in one atomic step per key, so
 * concurrent handshakes can never exceed it.
 */
@ApplicationScoped
public class ConnectionRegistry implements Connections {

    private final Map<String, DefaultConnection> byId = new ConcurrentHashMap<>();
    /** Immutable sets, replaced on change: users have few connections, and an idle set must cost little. */
    private final Map<String, Set<DefaultConnection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> perIp = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> total = new ConcurrentHashMap<>();

    @Inject
    CurrentConfig config;

    private volatile boolean shuttingDown;

    /**
     * Takes one slot of each applicable limit, or none.
     *
     * @param ip the client IP, or null when unknown (the per-IP limit then does not apply)
     * @param user the user name, or null for anonymous (the per-user limit then does not apply)
     * @return empty when admitted, else the refusal reason: {@code capacity}, {@code capacity-ip},
     *     {@code capacity-user}
     */
    public Optional<String> admit(String ip, String user) {
        if (shuttingDown) {
            return Optional.of("shutting-down");
        }
        CovetConfig settings = config.get();
        if (!take(total, "", settings.get(Settings.MAX_CONNECTIONS))) {
            return Optional.of("capacity");
        }
        if (ip != null && !take(perIp, ip, settings.get(Settings.MAX_CONNECTIONS_PER_IP))) {
            give(total, "");
            return Optional.of("capacity-ip");
        }
        if (user != null && !take(perUser, user, settings.get(Settings.MAX_CONNECTIONS_PER_USER))) {
            give(total, "");
            if (ip != null) {
                give(perIp, ip);
            }
            return Optional.of("capacity-user");
        }
        return Optional.empty();
    }

    /**
     * Says whether {@link #admit} would refuse now, without taking anything: for refusing with an HTTP status
     * before the upgrade. The binding check is still {@link #admit} when the connection opens.
     *
     * @param ip the client IP, or null when unknown
     * @param user the user name, or null for anonymous
     * @return the refusal reason, or empty
     */
    public Optional<String> wouldRefuse(String ip, String user) {
        if (shuttingDown) {
            return Optional.of("shutting-down");
        }
        CovetConfig settings = config.get();
        if (total.getOrDefault("", 0) >= settings.get(Settings.MAX_CONNECTIONS)) {
            return Optional.of("capacity");
        }
        if (ip != null && perIp.getOrDefault(ip, 0) >= settings.get(Settings.MAX_CONNECTIONS_PER_IP)) {
            return Optional.of("capacity-ip");
        }
        if (user != null && perUser.getOrDefault(user, 0) >= settings.get(Settings.MAX_CONNECTIONS_PER_USER)) {
            return Optional.of("capacity-user");
        }
        return Optional.empty();
    }

    /** Adds an admitted connection. */
    public void add(DefaultConnection connection) {
        byId.put(connection.id(), connection);
        connection.principal().map(Principal::getName).ifPresent(user ->
                byUser.compute(user, (u, set) -> set == null ? Set.of(connection) : with(set, connection)));
    }

    /**
     * Removes a connection and gives back its admission slots; does nothing the second time.
     *
     * @param connection the closed connection
     * @param clientIp the IP it was admitted under, or null
     */
    public void remove(DefaultConnection connection, String clientIp) {
        if (!connection.releaseSlotsOnce()) {
            return;
        }
        byId.remove(connection.id());
        give(total, "");
        if (clientIp != null) {
            give(perIp, clientIp);
        }
        connection.principal().map(Principal::getName).ifPresent(user -> {
            give(perUser, user);
            byUser.computeIfPresent(user, (u, set) -> set.size() == 1 && set.contains(connection) ? null
                    : without(set, connection));
        });
    }

    @Override
    public Optional<Connection> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public Set<Connection> byUser(String user) {
        Set<DefaultConnection> connections = byUser.get(user);
        return connections == null ? Set.of() : Set.copyOf(connections);
    }

    private static Set<DefaultConnection> with(Set<DefaultConnection> set, DefaultConnection connection) {
        Set<DefaultConnection> copy = new HashSet<>(set);
        copy.add(connection);
        return Set.copyOf(copy);
    }

    private static Set<DefaultConnection> without(Set<DefaultConnection> set, DefaultConnection connection) {
        Set<DefaultConnection> copy = new HashSet<>(set);
        copy.remove(connection);
        return Set.copyOf(copy);
    }

    @Override
    public int count() {
        return byId.size();
    }

    /** @return a snapshot of the open connections */
    public Collection<DefaultConnection> all() {
        return List.copyOf(byId.values());
    }

    /**
     * Shuts down gracefully: refuses new connections, waits up to {@code covet.shutdown.flush-timeout} for queued
     * frames to be handed to the container, then closes every connection with {@link CloseCodes#GOING_AWAY}.
     * Safe to call more than once.
     */
    @PreDestroy
    public void closeAll() {
        shuttingDown = true;
        long deadline = System.nanoTime() + config.get().get(Settings.SHUTDOWN_FLUSH_TIMEOUT).toNanos();
        while (System.nanoTime() < deadline && !all().stream().allMatch(DefaultConnection::isDrained)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        all().forEach(c -> c.close(CloseCodes.GOING_AWAY, "server shutting down"));
        ForcedCloses.shutdown();
    }

    private static boolean take(Map<String, Integer> counts, String key, int max) {
        AtomicBoolean taken = new AtomicBoolean();
        counts.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            if (current >= max) {
                return n;
            }
            taken.set(true);
            return current + 1;
        });
        return taken.get();
    }

    private static void give(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }
}
