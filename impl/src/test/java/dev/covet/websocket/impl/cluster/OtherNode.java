package dev.covet.websocket.impl.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import redis.clients.jedis.ConnectionPool;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.RedisClusterClient;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.spi.RoomStore;

/**
 * Another node of the cluster as the tests need it: the real Redis store with its own node id (so its appends are
 * published as another node's), plus raw Redis access to break things the way a network or a crash would.
 */
public final class OtherNode implements AutoCloseable {

    private final Redis redis;
    private final RedisRoomStore store;

    public OtherNode(String uri, String nodeId) throws Exception {
        Map<String, String> settings = Map.of("covet.cluster.redis.uri", uri, "covet.cluster.node-id", nodeId,
                "covet.auth.anonymous", "true");
        CovetConfig config = CovetConfig.load(setting -> Optional.ofNullable(settings.get(setting.key())));
        redis = new Redis(config);
        store = new RedisRoomStore(redis, () -> config);
    }

    /** @return the store, shared with every node */
    public RoomStore store() {
        return store;
    }

    /** Appends and publishes a room message as this node; returns its offset. */
    public long say(String room, String text) {
        return store.append(room, "{\"event\":\"room.said\",\"room\":\"" + room + "\",\"offset\":",
                ",\"data\":{\"tag\":\"" + room + "\",\"text\":\"" + text + "\"}}").offset();
    }

    /**
     * Stores a message without publishing it: a message whose publication a node missed. One script, as the real
     * append is, so that a node catching up meanwhile never sees the offset without its message.
     */
    public long sayUnheard(String room, String text) {
        return (Long) redis.client().eval("""
                local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
                redis.call('RPUSH', KEYS[2], ARGV[1] .. offset .. ARGV[2])
                return offset
                """, List.of(redis.key(room, "room"), redis.key(room, "hist")),
                List.of("{\"event\":\"room.said\",\"room\":\"" + room + "\",\"offset\":",
                        ",\"data\":{\"tag\":\"" + room + "\",\"text\":\"" + text + "\"}}"));
    }

    /** Moves a room's offset on without keeping the messages: messages gone from history before a node saw them. */
    public void lose(String room, int messages) {
        redis.client().hincrBy(redis.key(room, "room"), "offset", messages);
        redis.client().del(redis.key(room, "hist"));
    }

    /** Closes every subscriber connection Redis has, as a network cut of the nodes' subscribers would. */
    public void cutSubscribers() {
        if (!redis.sharded()) {
            redis.client().sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
            return;
        }
        for (ConnectionPool pool : ((RedisClusterClient) redis.client()).getClusterNodes().values()) {
            try (Jedis node = new Jedis(pool.getResource())) {
                node.sendCommand(Protocol.Command.CLIENT, "KILL", "TYPE", "pubsub");
            }
        }
    }

    /** Publishes raw text on a room's channel, or on every node's channel ({@code room} null). */
    public void publish(String room, String message) {
        redis.publish(room, message);
    }

    @Override
    public void close() {
        redis.close();
    }
}
