package dev.covet.websocket.impl.metrics;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.covet.websocket.CovetHealth;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Heartbeats;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.impl.room.LocalRooms;

/** The library's {@link CovetHealth}, from the connection registry and the heartbeat sweep. */
@ApplicationScoped
public class DefaultHealth implements CovetHealth {

    /** A sweep older than this many intervals means the housekeeping thread is stuck. */
    private static final int STALE_SWEEPS = 3;

    @Inject
    ConnectionRegistry registry;
    @Inject
    Heartbeats heartbeats;
    @Inject
    CurrentConfig config;
    @Inject
    TimeSource time;
    @Inject
    LocalRooms rooms;

    @Override
    public Status readiness() {
        boolean installed = config.isSet();
        boolean shuttingDown = registry.isShuttingDown();
        int max = installed ? config.get().get(Settings.MAX_CONNECTIONS) : 0;
        String cluster = installed ? rooms.clusterStats().state() : "local";
        return new Status(installed && !shuttingDown && !"down".equals(cluster), Map.of("installed", installed,
                "shuttingDown", shuttingDown, "connections", registry.count(), "maxConnections", max, "cluster",
                cluster));
    }

    @Override
    public Status liveness() {
        long last = heartbeats.lastSweepNanos();
        if (last == 0) {
            return new Status(true, Map.of("sweeping", heartbeats.isRunning()));
        }
        long agoNanos = time.nanoTime() - last;
        long intervalNanos = heartbeats.tickNanos();
        return new Status(agoNanos <= STALE_SWEEPS * intervalNanos + 1_000_000_000L, Map.of("sweeping",
                heartbeats.isRunning(), "lastSweepMillisAgo", agoNanos / 1_000_000));
    }
}
