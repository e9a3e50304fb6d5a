package dev.covet.websocket.impl.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.util.JedisURIHelper;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The connection to the cluster's Redis, shared by the store and the bus, and the names of keys and channels. Every
 * key and channel of a room carries the room in a hash tag ({@code {room}}), so that on Redis Cluster they live on
 * one shard and the append script may touch them together.
 */
final class Redis implements AutoCloseable {

    private final HostAndPort address;
    private final JedisClientConfig commands;
    private final JedisClientConfig subscriber;
    private final RedisClient client;
    private final String prefix;
    private final String nodeId;
    private final Duration timeout;
    private final Duration nodeTimeout;

    Redis(CovetConfig settings) {
        URI uri = settings.get(Settings.CLUSTER_REDIS_URI);
        timeout = settings.get(Settings.CLUSTER_TIMEOUT);
        nodeTimeout = settings.get(Settings.CLUSTER_NODE_TIMEOUT);
        prefix = settings.get(Settings.CLUSTER_PREFIX);
        nodeId = settings.find(Settings.CLUSTER_NODE_ID).orElseGet(() -> UUID.randomUUID().toString().substring(0, 13));
        address = JedisURIHelper.getHostAndPort(uri);
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder base = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .database(JedisURIHelper.getDBIndex(uri)).ssl(JedisURIHelper.isRedisSSLScheme(uri))
                .connectionTimeoutMillis(millis).clientName("covet-" + nodeId);
        commands = base.socketTimeoutMillis(millis).build();
        // The subscriber is pinged every timeout; three timeouts without any data means the connection is dead.
        subscriber = DefaultJedisClientConfig.builder().from(commands).socketTimeoutMillis(millis * 3).build();
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(settings.get(Settings.CLUSTER_POOL_SIZE));
        pool.setMaxIdle(settings.get(Settings.CLUSTER_POOL_SIZE));
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        client = RedisClient.builder().hostAndPort(address).clientConfig(commands).poolConfig(pool).build();
    }

    RedisClient client() {
        return client;
    }

    /** @return a new connection for the subscriber, which the caller closes */
    Jedis subscriberConnection() {
        return new Jedis(address, subscriber);
    }

    Duration timeout() {
        return timeout;
    }

    /** @return how long a node may go without a heartbeat before it counts as lost */
    Duration nodeTimeout() {
        return nodeTimeout;
    }

    String nodeId() {
        return nodeId;
    }

    String prefix() {
        return prefix;
    }

    /** @return where Redis is, without credentials, for the log */
    String where() {
        return address.toString();
    }

    /** @return a key of a room's, e.g. {@code covet:{lobby}:hist} */
    String key(String room, String part) {
        return prefix + ":{" + room + "}:" + part;
    }

    /** @return a key of the whole cluster, e.g. {@code covet:rooms} */
    String key(String part) {
        return prefix + ":" + part;
    }

    /** @return the channel of a room, or of every node ({@code room} null) */
    String channel(String room) {
        return room == null ? prefix + ":nodes" : prefix + ":{" + room + "}";
    }

    /** @return the room of a channel, or null for the channel of every node */
    String roomOf(String channel) {
        String roomPrefix = prefix + ":{";
        if (channel.startsWith(roomPrefix) && channel.endsWith("}")) {
            return channel.substring(roomPrefix.length(), channel.length() - 1);
        }
        return null;
    }

    @Override
    public void close() {
        client.close();
    }
}
