package dev.covet.websocket.impl.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.JedisClusterCRC16;
import redis.clients.jedis.util.JedisURIHelper;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The connection to the cluster's Redis, shared by the store and the bus, and the names of keys and channels. Every
 * key and channel of a room carries the room in a hash tag ({@code {room}}), and every key of the whole cluster the
 * tag {@code {$}} (no room name starts with {@code $}), so that on Redis Cluster a script only ever touches one
 * shard. On Redis Cluster a room's channel is a shard channel ({@code SPUBLISH}/{@code SSUBSCRIBE}): a room message
 * travels only within its shard, to the nodes subscribed there.
 */
final class Redis implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Redis.class.getName());

    private final List<HostAndPort> seeds;
    private final JedisClientConfig commands;
    private final JedisClientConfig subscriber;
    private final GenericObjectPoolConfig<Connection> pool;
    private final boolean sharded;
    private final String prefix;
    private final String nodeId;
    private final Duration timeout;
    private final Duration nodeTimeout;
    /** Which node of a Redis Cluster the next node-wide subscriber connects to. */
    private final AtomicInteger rotation = new AtomicInteger();
    private volatile UnifiedJedis client;

    Redis(CovetConfig settings) {
        List<URI> uris = settings.get(Settings.CLUSTER_REDIS_URI);
        URI uri = uris.get(0);
        timeout = settings.get(Settings.CLUSTER_TIMEOUT);
        nodeTimeout = settings.get(Settings.CLUSTER_NODE_TIMEOUT);
        prefix = settings.get(Settings.CLUSTER_PREFIX);
        nodeId = settings.find(Settings.CLUSTER_NODE_ID).orElseGet(() -> UUID.randomUUID().toString().substring(0, 13));
        seeds = uris.stream().map(JedisURIHelper::getHostAndPort).toList();
        int millis = (int) timeout.toMillis();
        DefaultJedisClientConfig.Builder base = DefaultJedisClientConfig.builder()
                .user(JedisURIHelper.getUser(uri)).password(JedisURIHelper.getPassword(uri))
                .ssl(JedisURIHelper.isRedisSSLScheme(uri)).connectionTimeoutMillis(millis)
                .clientName("covet-" + nodeId);
        String mode = settings.get(Settings.CLUSTER_REDIS_MODE);
        sharded = "cluster".equals(mode) || "auto".equals(mode) && (seeds.size() > 1 || clusterEnabled(base));
        if (!sharded) {
            base.database(JedisURIHelper.getDBIndex(uri));
        }
        commands = base.socketTimeoutMillis(millis).build();
        // A subscriber is pinged every timeout; three timeouts without any data means the connection is dead.
        subscriber = DefaultJedisClientConfig.builder().from(commands).socketTimeoutMillis(millis * 3).build();
        pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(settings.get(Settings.CLUSTER_POOL_SIZE));
        pool.setMaxIdle(settings.get(Settings.CLUSTER_POOL_SIZE));
        pool.setMaxWait(timeout);
        pool.setJmxEnabled(false);
        if (!sharded) {
            client = RedisClient.builder().hostAndPort(seeds.get(0)).clientConfig(commands).poolConfig(pool).build();
        }
    }

    /** With one seed in {@code auto} mode: whether it is a node of a Redis Cluster. */
    private boolean clusterEnabled(DefaultJedisClientConfig.Builder base) {
        try (Jedis probe = new Jedis(seeds.get(0), base.socketTimeoutMillis((int) timeout.toMillis()).build())) {
            return probe.info("cluster").contains("cluster_enabled:1");
        } catch (JedisDataException e) {
            // The server answered, but not INFO (e.g. an ACL without it): a Redis Cluster would need it anyway.
            LOG.log(System.Logger.Level.DEBUG, "Redis at {0} did not answer INFO ({1}); taking it for one server",
                    seeds.get(0), e.getMessage());
            return false;
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not ask Redis at {0} whether it is a Redis Cluster ({1}); "
                    + "taking it for one server. Set covet.cluster.redis.mode to say which.", seeds.get(0),
                    e.getMessage());
            return false;
        }
    }

    /**
     * @return the client for commands; on Redis Cluster made on first use, so that a node starts while the cluster
     *         is out of reach
     * @throws JedisException when a Redis Cluster cannot be reached yet
     */
    UnifiedJedis client() {
        UnifiedJedis known = client;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (client == null) {
                client = RedisClusterClient.builder().nodes(new LinkedHashSet<>(seeds)).clientConfig(commands)
                        .poolConfig(pool).maxTotalRetriesDuration(timeout).build();
            }
            return client;
        }
    }

    /** @return whether the Redis is a Redis Cluster, whose room channels are shard channels */
    boolean sharded() {
        return sharded;
    }

    /** @return a new connection for the node-wide subscriber, which the caller closes; on Redis Cluster, any node */
    Jedis subscriberConnection() {
        return new Jedis(sharded ? nextNode() : seeds.get(0), subscriber);
    }

    /** @return a new subscriber connection to one node of a Redis Cluster, which the caller closes */
    Jedis subscriberConnection(HostAndPort node) {
        return new Jedis(node, subscriber);
    }

    private HostAndPort nextNode() {
        List<HostAndPort> nodes = new ArrayList<>(seeds);
        try {
            for (String node : ((RedisClusterClient) client()).getClusterNodes().keySet()) {
                HostAndPort known = HostAndPort.from(node);
                if (!nodes.contains(known)) {
                    nodes.add(known);
                }
            }
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis Cluster nodes unknown for now: {0}", e.getMessage());
        }
        return nodes.get(Math.floorMod(rotation.getAndIncrement(), nodes.size()));
    }

    /** @return the Redis Cluster node that serves a room's channel now */
    HostAndPort ownerOf(String room) {
        try (Connection connection = ((RedisClusterClient) client())
                .getConnectionFromSlot(JedisClusterCRC16.getSlot(channel(room)))) {
            return connection.getHostAndPort();
        }
    }

    /** Reads the slots of a Redis Cluster again, after a node failed or a slot moved. */
    void refreshTopology() {
        try {
            ((RedisClusterClient) client()).refreshClusterTopology();
        } catch (JedisException e) {
            LOG.log(System.Logger.Level.DEBUG, "Redis Cluster topology not refreshed: {0}", e.getMessage());
        }
    }

    /** Publishes on a room's channel (a shard channel on Redis Cluster), or on the channel of every node. */
    void publish(String room, String message) {
        if (room != null && sharded) {
            ((RedisClusterClient) client()).spublish(channel(room), message);
        } else {
            client().publish(channel(room), message);
        }
    }

    /** @return the command that publishes on a room's channel, for scripts */
    String publishCommand() {
        return sharded ? "SPUBLISH" : "PUBLISH";
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
        return (sharded ? "Redis Cluster " : "") + String.join(",", seeds.stream().map(HostAndPort::toString).toList());
    }

    /** @return a key of a room's, e.g. {@code covet:{lobby}:hist} */
    String key(String room, String part) {
        return prefix + ":{" + room + "}:" + part;
    }

    /** @return a key of the whole cluster, e.g. {@code covet:{$}:rooms} */
    String key(String part) {
        return prefix + ":{$}:" + part;
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
    public synchronized void close() {
        if (client != null) {
            client.close();
        }
    }
}
