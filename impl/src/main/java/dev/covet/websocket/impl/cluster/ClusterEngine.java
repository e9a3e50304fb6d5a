package dev.covet.websocket.impl.cluster;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.room.InMemoryRoomStore;
import dev.covet.websocket.spi.ClusterBus;
import dev.covet.websocket.spi.RoomStore;

/**
 * Chooses where room state lives and how nodes reach each other, from configuration alone: with
 * {@code covet.cluster.redis.uri} the Redis store and bus, else the in-memory store and the single-node bus. An
 * application's own {@code @Alternative @Priority} bean of either type still wins over these producers.
 */
@ApplicationScoped
public class ClusterEngine {

    private static final System.Logger LOG = System.getLogger(ClusterEngine.class.getName());

    @Inject
    CurrentConfig config;

    private Redis redis;

    @Produces
    @ApplicationScoped
    RoomStore roomStore() {
        Redis connection = redis();
        return connection == null ? new InMemoryRoomStore(config::get) : new RedisRoomStore(connection, config::get);
    }

    @Produces
    @ApplicationScoped
    ClusterBus clusterBus() {
        Redis connection = redis();
        return connection == null ? new LocalBus(config.get().find(Settings.CLUSTER_NODE_ID).orElse("local"))
                : new RedisBus(connection);
    }

    void closeBus(@Disposes ClusterBus bus) {
        bus.close();
    }

    private synchronized Redis redis() {
        CovetConfig settings = config.get();
        if (redis == null && settings.find(Settings.CLUSTER_REDIS_URI).isPresent()) {
            redis = new Redis(settings);
            LOG.log(System.Logger.Level.INFO, "Cluster node {0}: rooms in Redis at {1}, prefix ''{2}''",
                    redis.nodeId(), redis.where(), redis.prefix());
        }
        return redis;
    }

    @PreDestroy
    synchronized void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
