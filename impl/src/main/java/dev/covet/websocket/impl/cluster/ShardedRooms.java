package dev.covet.websocket.impl.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.exceptions.JedisException;

import dev.covet.websocket.spi.ClusterBus;

/**
 * The room channels of a Redis Cluster, subscribed as shard channels ({@code SSUBSCRIBE}) on the Redis node that
 * serves each room's slot: one subscriber connection per Redis node that serves rooms with members here, each read
 * on its own thread. A connection lives until it fails, or Redis unsubscribes its channels because their slot moved
 * (resharding, failover); its rooms are then placed again where the refreshed topology says, with exponential
 * backoff and full jitter, and once they are subscribed again the receiver recovers what was published meanwhile,
 * as after any reconnection. Shard connections are kept alive by subscribing again to a channel they hold (shard
 * pub/sub has no {@code PING}); a connection silent for three timeouts is replaced.
 */
final class ShardedRooms {

    private static final System.Logger LOG = System.getLogger(ShardedRooms.class.getName());
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final Redis redis;
    private final Consumer<RuntimeException> failures;
    private final ScheduledExecutorService placer;
    /** The connection to each Redis node serving rooms here; guarded by this, as is all state of a shard. */
    private final Map<HostAndPort, Shard> shards = new HashMap<>();
    /** Wanted rooms whose shard is not known or not reachable now; guarded by this. */
    private final Set<String> homeless = new HashSet<>();
    /** Rooms placed again after their connection ended: once subscribed, what they missed is recovered. */
    private final Set<String> recovering = ConcurrentHashMap.newKeySet();
    private final Confirmations confirmations;
    private volatile ClusterBus.Receiver receiver;
    private volatile boolean closed;
    private boolean placementScheduled;
    private boolean recoveryScheduled;
    private long backoff = MIN_BACKOFF_MILLIS;

    /**
     * @param failures told of each connection that ended with an error (counted as a reconnection)
     */
    ShardedRooms(Redis redis, Consumer<RuntimeException> failures) {
        this.redis = redis;
        this.failures = failures;
        confirmations = new Confirmations(redis.timeout());
        placer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "covet-cluster-shards");
            thread.setDaemon(true);
            return thread;
        });
    }

    void start(ClusterBus.Receiver handler) {
        receiver = handler;
        long period = redis.timeout().toMillis();
        placer.scheduleWithFixedDelay(this::keepAlive, period, period, TimeUnit.MILLISECONDS);
    }

    /** @return whether every wanted room is subscribed on a live connection */
    synchronized boolean healthy() {
        return homeless.isEmpty() && shards.values().stream().allMatch(shard -> shard.connected);
    }

    /** Subscribes to a room on the node serving it, returning once Redis confirmed or a timeout passed. */
    void subscribe(String room) {
        HostAndPort owner;
        try {
            owner = redis.ownerOf(room);
        } catch (JedisException e) {
            synchronized (this) {
                homeless.add(room);
            }
            schedulePlacement();
            return;
        }
        String channel = redis.channel(room);
        CompletableFuture<Void> confirmation = confirmations.expect(channel);
        synchronized (this) {
            if (closed || !shardOf(owner).add(room)) {
                confirmations.forget(channel, confirmation);
                return;
            }
        }
        confirmations.await(channel, confirmation);
    }

    /** Stops the subscription to a room; returns at once. */
    synchronized void unsubscribe(String room) {
        homeless.remove(room);
        recovering.remove(room);
        for (Shard shard : shards.values()) {
            if (shard.rooms.remove(room)) {
                shard.send(pubsub -> pubsub.sunsubscribe(redis.channel(room)));
            }
        }
    }

    /** @return the live shard for a node, started if there was none; called holding this */
    private Shard shardOf(HostAndPort node) {
        Shard shard = shards.get(node);
        if (shard == null) {
            shard = new Shard(node);
            shards.put(node, shard);
            shard.thread.start();
        }
        return shard;
    }

    private synchronized void schedulePlacement() {
        if (placementScheduled || closed) {
            return;
        }
        placementScheduled = true;
        long delay = ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
        placer.schedule(this::place, delay, TimeUnit.MILLISECONDS);
    }

    /** Places the homeless rooms where the refreshed topology says; what cannot be placed is tried again later. */
    private void place() {
        Set<String> rooms;
        synchronized (this) {
            placementScheduled = false;
            rooms = new HashSet<>(homeless);
        }
        redis.refreshTopology();
        for (String room : rooms) {
            try {
                HostAndPort owner = redis.ownerOf(room);
                synchronized (this) {
                    if (!closed && homeless.remove(room)) {
                        shardOf(owner).add(room);
                    }
                }
            } catch (JedisException e) {
                LOG.log(System.Logger.Level.DEBUG, "The shard of room {0} is unknown for now: {1}", room,
                        e.getMessage());
            }
        }
        synchronized (this) {
            if (!homeless.isEmpty()) {
                schedulePlacement();
            }
        }
    }

    /** Once rooms that lost their connection are subscribed again, the receiver recovers (once for a batch). */
    private synchronized void scheduleRecovery() {
        if (recoveryScheduled || closed) {
            return;
        }
        recoveryScheduled = true;
        placer.execute(() -> {
            synchronized (this) {
                recoveryScheduled = false;
            }
            LOG.log(System.Logger.Level.INFO, "Cluster rooms subscribed again on their Redis Cluster shards");
            receiver.resubscribed();
        });
    }

    private synchronized void keepAlive() {
        for (Shard shard : shards.values()) {
            if (shard.connected && !shard.rooms.isEmpty()) {
                String room = shard.rooms.iterator().next();
                shard.send(pubsub -> pubsub.ssubscribe(redis.channel(room)));
            }
        }
    }

    void close() {
        List<Shard> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(shards.values());
        }
        placer.shutdownNow();
        open.forEach(shard -> shard.disconnect());
    }

    /** One subscriber connection to one Redis node, for as long as it lasts. */
    private final class Shard {

        private final HostAndPort node;
        private final Thread thread;
        /** The rooms wanted on this connection. */
        private final Set<String> rooms = new HashSet<>();
        private Subscriber pubsub;
        private volatile Jedis jedis;
        private boolean connected;

        Shard(HostAndPort node) {
            this.node = node;
            thread = new Thread(this::run, "covet-cluster-shard-" + node);
            thread.setDaemon(true);
        }

        /** @return false when the room was wanted here already; called holding the outer lock */
        boolean add(String room) {
            if (!rooms.add(room)) {
                return false;
            }
            if (connected) {
                send(subscriber -> subscriber.ssubscribe(redis.channel(room)));
            }
            return true;
        }

        /** Sends on the connection while it is up; a failed send ends it. Called holding the outer lock. */
        void send(Consumer<Subscriber> command) {
            if (!connected) {
                return;
            }
            try {
                command.accept(pubsub);
            } catch (JedisException | IllegalStateException e) {
                disconnect();
            }
        }

        void disconnect() {
            Jedis open = jedis;
            if (open != null) {
                open.disconnect();
            }
        }

        private void run() {
            Subscriber subscriber = new Subscriber(this);
            try (Jedis connection = redis.subscriberConnection(node)) {
                jedis = connection;
                if (!subscriber.sent.isEmpty() && !closed) {
                    subscriber.proceed(connection.getConnection(), subscriber.sent.toArray(String[]::new));
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "Cluster shard subscriber at {0} ended: {1}", node, e);
                    failures.accept(e);
                }
            }
            synchronized (ShardedRooms.this) {
                connected = false;
                shards.remove(node, this);
                if (closed || rooms.isEmpty()) {
                    return;
                }
                // Every room still wanted is placed again; those it held may have missed messages meanwhile.
                homeless.addAll(rooms);
                recovering.addAll(rooms);
                rooms.clear();
            }
            schedulePlacement();
        }

        /** Called on this shard's thread, holding the outer lock. */
        void confirmed(String channel, List<String> sent) {
            if (!connected) {
                connected = true;
                // Rooms added after the connection's first subscription was sent go now.
                rooms.stream().map(redis::channel).filter(c -> !sent.contains(c))
                        .forEach(c -> send(subscriber -> subscriber.ssubscribe(c)));
            }
            String room = redis.roomOf(channel);
            if (room != null && rooms.contains(room) && recovering.remove(room)) {
                scheduleRecovery();
            }
            if (homeless.isEmpty() && rooms.stream().noneMatch(recovering::contains)) {
                backoff = MIN_BACKOFF_MILLIS;
            }
        }

        /** Redis unsubscribed a channel nobody here gave up: its slot moved. Called holding the outer lock. */
        void moved(String room) {
            if (rooms.remove(room)) {
                LOG.log(System.Logger.Level.INFO, "Room {0} moved off Redis node {1}; subscribing where it is now",
                        room, node);
                homeless.add(room);
                recovering.add(room);
                schedulePlacement();
            }
        }
    }

    /** The callbacks of one shard connection. */
    private final class Subscriber extends JedisShardedPubSub {

        private final Shard shard;
        private final List<String> sent;

        Subscriber(Shard shard) {
            this.shard = shard;
            synchronized (ShardedRooms.this) {
                sent = shard.rooms.stream().map(redis::channel).toList();
                shard.pubsub = this;
            }
        }

        @Override
        public void onSSubscribe(String channel, int subscribedChannels) {
            synchronized (ShardedRooms.this) {
                shard.confirmed(channel, sent);
            }
            confirmations.confirmed(channel);
        }

        @Override
        public void onSUnsubscribe(String channel, int subscribedChannels) {
            String room = redis.roomOf(channel);
            if (room != null) {
                synchronized (ShardedRooms.this) {
                    shard.moved(room);
                }
            }
        }

        @Override
        public void onSMessage(String channel, String message) {
            String room = redis.roomOf(channel);
            if (room != null) {
                receiver.received(room, message);
            }
        }
    }
}
