package dev.covet.websocket.impl.connection;

import java.security.Principal;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
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
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.spi.ClusterBus;

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
    private final ForcedCloses closers = new ForcedCloses();
    /** Immutable sets, replaced on change: users have few connections, and an idle set must cost little. */
    private final Map<String, Set<DefaultConnection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> perIp = new ConcurrentHashMap<>();
    private final Map<String, Integer> perUser = new ConcurrentHashMap<>();
    private final Map<String, Integer> total = new ConcurrentHashMap<>();
    /** Deadlines ({@code nanoTime}) of slots reserved before an upgrade and not yet claimed, oldest first. */
    private final Map<Slot, Deque<Long>> reserved = new ConcurrentHashMap<>();

    /** How long a reserved slot waits for its connection to open: far longer than any upgrade takes. */
    static final long RESERVATION_TTL_NANOS = TimeUnit.SECONDS.toNanos(10);

    @Inject
    CurrentConfig config;
    @Inject
    LocalRooms rooms;
    @Inject
    ClusterBus bus;

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
        if (user != null && !takeUser(user, settings.get(Settings.MAX_CONNECTIONS_PER_USER))) {
            give(total, "");
            if (ip != null) {
                give(perIp, ip);
            }
            return Optional.of("capacity-user");
        }
        return Optional.empty();
    }

    /**
     * Takes the slots at the handshake (before the upgrade, for refusing with an HTTP status, where there is a
     * servlet layer): the connection that opens next under the same IP and user {@linkplain #claimOrAdmit claims}
     * them. Reserving, not merely checking, keeps a burst of handshakes from passing the check together and being
     * refused only after the upgrade, and admits connections in the order of their handshakes. A reservation no
     * connection claims (a failed upgrade) is given back after {@link #RESERVATION_TTL_NANOS}.
     *
     * @param ip the client IP, or null when unknown
     * @param user the user name, or null for anonymous
     * @param now the library's monotonic clock ({@link TimeSource#nanoTime()})
     * @return empty when reserved, else the refusal reason, as {@link #admit}
     */
    public Optional<String> reserve(String ip, String user, long now) {
        expireReservations(now);
        Optional<String> refusal = admit(ip, user);
        if (refusal.isEmpty()) {
            reserved.computeIfAbsent(new Slot(ip, user), slot -> new ConcurrentLinkedDeque<>())
                    .addLast(now + RESERVATION_TTL_NANOS);
        }
        return refusal;
    }

    /**
     * Takes a per-user slot for a connection that authenticated in band ({@code $auth}): it was admitted
     * without a user, so only the global and per-IP limits applied until now.
     *
     * @param user the user
     * @return false when the user is at {@code covet.connections.max-per-user}
     */
    public boolean takeUserSlot(String user) {
        return takeUser(user, config.get().get(Settings.MAX_CONNECTIONS_PER_USER));
    }

    /**
     * Gives back a reservation whose upgrade failed.
     *
     * @param ip the IP it was reserved under
     * @param user the user it was reserved for
     */
    public void cancelReservation(String ip, String user) {
        Deque<Long> pending = reserved.get(new Slot(ip, user));
        if (pending != null && pending.pollFirst() != null) {
            release(ip, user);
        }
    }

    /**
     * For an opening connection: takes a reservation made under the same IP and user, or else admits it now.
     *
     * @param ip the client IP, or null when unknown
     * @param user the user name, or null for anonymous
     * @return empty when admitted, else the refusal reason, as {@link #admit}
     */
    public Optional<String> claimOrAdmit(String ip, String user) {
        Deque<Long> pending = reserved.get(new Slot(ip, user));
        if (pending != null && pending.pollFirst() != null) {
            return Optional.empty();
        }
        return admit(ip, user);
    }

    private void expireReservations(long now) {
        reserved.forEach((slot, pending) -> {
            for (Long deadline = pending.peekFirst(); deadline != null && deadline - now < 0;
                 deadline = pending.peekFirst()) {
                if (pending.removeFirstOccurrence(deadline)) {
                    release(slot.ip(), slot.user());
                }
            }
        });
    }

    /** Adds an admitted connection. */
    public void add(DefaultConnection connection) {
        byId.put(connection.id(), connection);
        indexByUser(connection);
    }

    /**
     * Removes a connection and gives back its admission slots; does nothing the second time.
     *
     * @param connection the closed connection
     * @param clientIp the IP it was admitted under, or null
     * @param admittedUser the user it was admitted under, or null (anonymous, or authenticated only in band)
     */
    public void remove(DefaultConnection connection, String clientIp, String admittedUser) {
        if (!connection.releaseSlotsOnce()) {
            return;
        }
        byId.remove(connection.id());
        release(clientIp, admittedUser);
        connection.principal().map(Principal::getName).ifPresent(user ->
                byUser.computeIfPresent(user, (u, set) -> set.size() == 1 && set.contains(connection) ? null
                        : without(set, connection)));
    }

    /** Gives back the slots {@link #admit} took. */
    private void release(String ip, String user) {
        give(total, "");
        if (ip != null) {
            give(perIp, ip);
        }
        if (user != null) {
            giveUser(user);
        }
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
    public int disconnect(String user, String reason) {
        Set<Connection> connections = byUser(user);
        connections.forEach(connection -> connection.close(CloseCodes.REVOKED, reason));
        rooms.disconnectElsewhere(user, CloseCodes.REVOKED, reason);
        return connections.size();
    }

    /**
     * Indexes a connection by its user once it authenticated in band ({@code $auth}).
     *
     * @param connection the connection, now with a principal
     */
    public void indexByUser(DefaultConnection connection) {
        connection.principal().map(Principal::getName).ifPresent(user ->
                byUser.compute(user, (u, set) -> set == null ? Set.of(connection) : with(set, connection)));
    }

    @Override
    public int count() {
        return byId.size();
    }

    /** @return whether the application is shutting down (new connections are refused) */
    public boolean isShuttingDown() {
        return shuttingDown;
    }

    /** @return this deployment's closer threads, for its connections */
    public ForcedCloses closers() {
        return closers;
    }

    /** @return a snapshot of the open connections */
    public Collection<DefaultConnection> all() {
        return List.copyOf(byId.values());
    }

    /**
     * Shuts down gracefully: refuses new connections, waits up to {@code covet.shutdown.flush-timeout} for queued
     * frames to be handed to the container, then closes every connection with {@link CloseCodes#GOING_AWAY}; a
     * connection still holding frames then (a peer that stopped reading) is closed without them, since a send
     * that completes after the application has stopped must find nothing left to send (its session is closed when
     * the write in flight ends, or by the container as the application stops). Safe to call more than once.
     */
    @PreDestroy
    public void closeAll() {
        shuttingDown = true;
        long deadline = System.nanoTime() + config.get().get(Settings.SHUTDOWN_FLUSH_TIMEOUT).toNanos();
        while (System.nanoTime() < deadline && !all().stream().allMatch(DefaultConnection::isDrained)) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        for (DefaultConnection connection : all()) {
            if (connection.isDrained()) {
                connection.close(CloseCodes.GOING_AWAY, "server shutting down");
            } else {
                connection.forceClose(CloseCodes.GOING_AWAY, "server shutting down");
            }
        }
        closers.shutdown();
    }

    /** A per-user slot: on this node, and in a cluster also across the nodes. */
    private boolean takeUser(String user, int max) {
        if (!take(perUser, user, max)) {
            return false;
        }
        if (!bus.takeUserSlot(user, max)) {
            give(perUser, user);
            return false;
        }
        return true;
    }

    private void giveUser(String user) {
        give(perUser, user);
        bus.giveUserSlot(user);
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

    /** An admission key: the IP and user a slot was taken under (either may be null). */
    private record Slot(String ip, String user) {
    }
}
