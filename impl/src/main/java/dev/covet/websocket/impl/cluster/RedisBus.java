package dev.covet.websocket.impl.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

import dev.covet.websocket.spi.ClusterBus;

/**
 * The bus over Redis pub/sub: one subscriber connection per node on its own thread, subscribed to the channel of
 * every node and to the channel of each room with members here (on Redis Cluster, rooms are shard channels on the
 * shard of each room, see {@link ShardedRooms}). Jedis does not reconnect a subscriber, so this does:
 * with exponential backoff and full jitter (100 ms doubling to 10 s), subscribing again to everything, after which
 * the receiver recovers what was published meanwhile. The connection is pinged every timeout and read with a socket
 * timeout of three, so a half-open connection is found and replaced.
 */
final class RedisBus implements ClusterBus {

    private static final System.Logger LOG = System.getLogger(RedisBus.class.getName());
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    /** KEYS: nodes. ARGV: node. Records the node's heartbeat in Redis time; returns 1 when it was not listed. */
    private static final Script HEARTBEAT = new Script("""
            local time = redis.call('TIME')
            return redis.call('HSET', KEYS[1], ARGV[1], time[1] * 1000 + math.floor(time[2] / 1000))
            """);
    /** KEYS: nodes. ARGV: node timeout in ms. Removes and returns the nodes whose heartbeat is older. */
    private static final Script CLAIM = new Script("""
            local time = redis.call('TIME')
            local now = time[1] * 1000 + math.floor(time[2] / 1000)
            local nodes = redis.call('HGETALL', KEYS[1])
            local lost = {}
            for i = 1, #nodes, 2 do
              if now - tonumber(nodes[i + 1]) > tonumber(ARGV[1]) then
                redis.call('HDEL', KEYS[1], nodes[i])
                lost[#lost + 1] = nodes[i]
              end
            end
            return lost
            """);

    /** KEYS: users, this node's users. ARGV: user, max. Takes a slot unless the user holds max; 1 when taken. */
    private static final Script TAKE_SLOT = new Script("""
            if tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0') >= tonumber(ARGV[2]) then return 0 end
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
            return 1
            """);
    /** KEYS as TAKE_SLOT. ARGV: user. Gives a slot back, only one this node holds (a lost node's were cleared). */
    private static final Script GIVE_SLOT = new Script("""
            if not redis.call('HGET', KEYS[2], ARGV[1]) then return 0 end
            if redis.call('HINCRBY', KEYS[2], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) end
            if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return 1
            """);
    /** KEYS: users, a node's users. Gives back every slot the node held. */
    private static final Script CLEAR_SLOTS = new Script("""
            local held = redis.call('HGETALL', KEYS[2])
            for i = 1, #held, 2 do
              if redis.call('HINCRBY', KEYS[1], held[i], -tonumber(held[i + 1])) <= 0 then
                redis.call('HDEL', KEYS[1], held[i])
              end
            end
            redis.call('DEL', KEYS[2])
            return #held / 2
            """);

    private final Redis redis;
    /** On Redis Cluster, the rooms' shard channels; else rooms are channels of the one subscriber connection. */
    private final ShardedRooms shards;
    private final ScheduledExecutorService heartbeat;
    private volatile boolean listed;
    /** The rooms this node wants: subscribed now, or again on reconnection. */
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    /** Confirmations awaited by {@link #subscribe}, by channel. */
    private final Confirmations confirmations;
    /** Sends on the subscriber connection come from several threads; one at a time. */
    private final Object sending = new Object();
    private final AtomicLong reconnects = new AtomicLong();
    private volatile Receiver receiver;
    private volatile Subscriber current;
    private volatile State state = State.DOWN;
    private volatile String lastError;
    private volatile boolean closed;
    private Thread thread;

    RedisBus(Redis redis) {
        this.redis = redis;
        confirmations = new Confirmations(redis.timeout());
        shards = redis.sharded() ? new ShardedRooms(redis, this::shardFailed) : null;
        heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "covet-cluster-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Tells the other nodes this one lives. When it finds itself no longer listed after it had been, the others
     * took it for lost and cleared its presence: the receiver then restores it, as after a reconnection.
     */
    private void beat() {
        try {
            boolean added = (Long) HEARTBEAT.run(redis.client(), List.of(redis.key("nodes")),
                    List.of(redis.nodeId())) == 1L;
            if (added && listed) {
                LOG.log(System.Logger.Level.WARNING, "Cluster node {0} was taken for lost (no heartbeat for {1}); "
                        + "restoring its presence", redis.nodeId(), redis.nodeTimeout());
                receiver.resubscribed();
            }
            listed = true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cluster heartbeat failed: {0}", e);
        }
    }

    @Override
    public boolean takeUserSlot(String user, int max) {
        if (state == State.DOWN) {
            return true;
        }
        try {
            return (Long) TAKE_SLOT.run(redis.client(), slotKeys(redis.nodeId()), List.of(user,
                    Integer.toString(max))) == 1L;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Per-user slot not counted across nodes: {0}", e);
            return true;
        }
    }

    @Override
    public void giveUserSlot(String user) {
        try {
            GIVE_SLOT.run(redis.client(), slotKeys(redis.nodeId()), List.of(user));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Per-user slot not given back across nodes: {0}", e);
        }
    }

    private List<String> slotKeys(String node) {
        return List.of(redis.key("users"), redis.key("node:" + node + ":users"));
    }

    /** Gives back the per-user slots a node held: a lost node's, or this node's from before a restart. */
    private void clearSlots(String node) {
        try {
            CLEAR_SLOTS.run(redis.client(), slotKeys(node), List.of());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not clear the per-user slots of node {0}: {1}", node, e);
        }
    }

    @Override
    public List<String> lostNodes() {
        if (state != State.UP) {
            return List.of();
        }
        try {
            List<String> lost = new ArrayList<>();
            for (Object node : (List<?>) CLAIM.run(redis.client(), List.of(redis.key("nodes")),
                    List.of(Long.toString(redis.nodeTimeout().toMillis())))) {
                if (!redis.nodeId().equals(node)) {
                    clearSlots((String) node);
                    lost.add((String) node);
                }
            }
            return lost;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Looking for lost nodes failed: {0}", e);
            return List.of();
        }
    }

    @Override
    public String nodeId() {
        return redis.nodeId();
    }

    @Override
    public synchronized void start(Receiver handler) {
        if (thread != null) {
            return;
        }
        receiver = handler;
        if (shards != null) {
            shards.start(handler);
        }
        clearSlots(redis.nodeId());
        CompletableFuture<Void> nodes = confirmations.expect(redis.channel(null));
        thread = new Thread(this::run, "covet-cluster-" + redis.nodeId());
        thread.setDaemon(true);
        thread.start();
        long period = Math.min(redis.timeout().toMillis(), redis.nodeTimeout().toMillis() / 3);
        heartbeat.scheduleWithFixedDelay(this::beat, 0, period, TimeUnit.MILLISECONDS);
        confirmations.await(redis.channel(null), nodes);
    }

    private void run() {
        long backoff = MIN_BACKOFF_MILLIS;
        boolean first = true;
        while (!closed) {
            Subscriber subscriber = new Subscriber(!first);
            try (Jedis jedis = redis.subscriberConnection()) {
                subscriber.jedis = jedis;
                current = subscriber;
                List<String> channels = new ArrayList<>();
                channels.add(redis.channel(null));
                if (shards == null) {
                    rooms.forEach(room -> channels.add(redis.channel(room)));
                }
                subscriber.expected = channels.size();
                jedis.subscribe(subscriber, channels.toArray(String[]::new));
            } catch (RuntimeException e) {
                if (!closed) {
                    lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    LOG.log(first || subscriber.up ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                            "Cluster subscriber lost Redis at {0} ({1}); reconnecting", redis.where(), lastError);
                }
            }
            current = null;
            state = State.DOWN;
            if (subscriber.up) {
                backoff = MIN_BACKOFF_MILLIS;
            }
            if (closed) {
                break;
            }
            first = false;
            reconnects.incrementAndGet();
            sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
            backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** One subscriber connection's callbacks and pinger. */
    private final class Subscriber extends JedisPubSub {

        private final boolean reconnected;
        private volatile Jedis jedis;
        private volatile int expected;
        private volatile boolean up;
        private int confirmed;
        /** Channels this connection is subscribed to: a join into a room already subscribed costs nothing. */
        private final Set<String> active = ConcurrentHashMap.newKeySet();

        Subscriber(boolean reconnected) {
            this.reconnected = reconnected;
        }

        @Override
        public void onSubscribe(String channel, int subscribedChannels) {
            active.add(channel);
            confirmations.confirmed(channel);
            if (!up && ++confirmed >= expected) {
                up = true;
                state = State.UP;
                Thread pinger = new Thread(this::keepAlive, "covet-cluster-ping");
                pinger.setDaemon(true);
                pinger.start();
                if (reconnected) {
                    LOG.log(System.Logger.Level.INFO, "Cluster subscriber reconnected to Redis at {0}",
                            redis.where());
                    receiver.resubscribed();
                }
            }
        }

        @Override
        public void onMessage(String channel, String message) {
            receiver.received(redis.roomOf(channel), message);
        }

        @Override
        public void onPong(String pattern) {
            // Any data resets the socket timeout; nothing else to do.
        }

        private void keepAlive() {
            long millis = redis.timeout().toMillis();
            while (current == this && !closed) {
                try {
                    Thread.sleep(millis);
                    synchronized (sending) {
                        if (current == this && isSubscribed()) {
                            ping();
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (JedisException | IllegalStateException e) {
                    jedis.disconnect();
                    return;
                }
            }
        }
    }

    private void shardFailed(RuntimeException e) {
        reconnects.incrementAndGet();
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Override
    public void subscribe(String room) {
        rooms.add(room);
        if (shards != null) {
            shards.subscribe(room);
            return;
        }
        String channel = redis.channel(room);
        Subscriber subscriber = current;
        if (subscriber == null || !subscriber.up || subscriber.active.contains(channel)) {
            return;
        }
        CompletableFuture<Void> confirmation = confirmations.expect(channel);
        try {
            synchronized (sending) {
                subscriber.subscribe(channel);
            }
        } catch (JedisException | IllegalStateException e) {
            confirmations.forget(channel, confirmation);
            return;
        }
        confirmations.await(channel, confirmation);
    }

    @Override
    public boolean isSubscribed(String room) {
        return rooms.contains(room);
    }

    @Override
    public void unsubscribe(String room) {
        rooms.remove(room);
        if (shards != null) {
            shards.unsubscribe(room);
            return;
        }
        Subscriber subscriber = current;
        if (subscriber == null || !subscriber.up) {
            return;
        }
        subscriber.active.remove(redis.channel(room));
        try {
            synchronized (sending) {
                subscriber.unsubscribe(redis.channel(room));
            }
        } catch (JedisException | IllegalStateException e) {
            LOG.log(System.Logger.Level.DEBUG, "Unsubscribing from room {0} failed: {1}", room, e);
        }
    }

    @Override
    public boolean publish(String room, String message) {
        if (state != State.UP) {
            return false;
        }
        try {
            redis.publish(room, message);
            return true;
        } catch (JedisException e) {
            lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
            return false;
        }
    }

    @Override
    public State state() {
        State now = state;
        return now == State.UP && shards != null && !shards.healthy() ? State.DEGRADED : now;
    }

    @Override
    public long reconnects() {
        return reconnects.get();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        closed = true;
        heartbeat.shutdownNow();
        if (shards != null) {
            shards.close();
        }
        try {
            redis.client().hdel(redis.key("nodes"), redis.nodeId());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not unlist node {0}: {1}", redis.nodeId(), e);
        }
        Subscriber subscriber = current;
        if (subscriber != null) {
            subscriber.jedis.disconnect();
        }
        Thread running;
        synchronized (this) {
            running = thread;
        }
        if (running != null) {
            running.interrupt();
            try {
                running.join(redis.timeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
