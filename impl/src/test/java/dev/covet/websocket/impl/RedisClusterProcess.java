package dev.covet.websocket.impl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.MigrateParams;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster of separate {@code redis-server} processes on loopback: three masters sharing the 16384
 * slots, each with one replica, and a node timeout of one second so that a killed master's replica takes over
 * quickly. Built with the {@code CLUSTER} commands themselves (no {@code redis-cli}); skipped by name where the
 * machine has no {@code redis-server}.
 */
public final class RedisClusterProcess implements AutoCloseable {

    private static final int MASTERS = 3;
    private final List<RedisProcess> nodes = new ArrayList<>();

    private RedisClusterProcess() {
    }

    public static RedisClusterProcess start() throws Exception {
        RedisClusterProcess cluster = new RedisClusterProcess();
        try {
            cluster.build();
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    private void build() throws Exception {
        for (int i = 0; i < MASTERS * 2; i++) {
            nodes.add(RedisProcess.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                    "--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0"));
        }
        int per = 16384 / MASTERS;
        for (int i = 0; i < MASTERS; i++) {
            int last = i == MASTERS - 1 ? 16383 : (i + 1) * per - 1;
            try (Jedis master = jedis(i)) {
                master.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "ADDSLOTSRANGE",
                        Integer.toString(i * per), Integer.toString(last));
            }
        }
        try (Jedis first = jedis(0)) {
            for (int i = 1; i < nodes.size(); i++) {
                first.clusterMeet("127.0.0.1", nodes.get(i).port());
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            await("node " + node + " knows every node", () -> {
                try (Jedis jedis = jedis(node)) {
                    return jedis.clusterNodes().lines().count() == nodes.size();
                }
            });
        }
        for (int i = MASTERS; i < nodes.size(); i++) {
            String master = id(i - MASTERS);
            try (Jedis replica = jedis(i)) {
                replica.clusterReplicate(master);
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            await("node " + node + " sees the cluster ok, replicas in sync", () -> {
                try (Jedis jedis = jedis(node)) {
                    boolean ok = jedis.clusterInfo().contains("cluster_state:ok");
                    return ok && (node < MASTERS || jedis.info("replication").contains("master_link_status:up"));
                }
            });
        }
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .ignoreExceptions().until(condition);
    }

    private Jedis jedis(int node) {
        return new Jedis("127.0.0.1", nodes.get(node).port(), 2000);
    }

    private String id(int node) {
        try (Jedis jedis = jedis(node)) {
            return jedis.clusterMyId();
        }
    }

    /** @return the URI for {@code covet.cluster.redis.uri}: every master as a seed */
    public String uri() {
        return nodes.subList(0, MASTERS).stream().map(node -> "127.0.0.1:" + node.port())
                .collect(Collectors.joining(",", "redis://", ""));
    }

    /** @return the URI of one seed only, from which {@code auto} mode must find out it is a cluster */
    public String seedUri() {
        return nodes.get(0).uri();
    }

    /**
     * @param range 0, 1 or 2: a third of the slots, first served by the master of that index
     * @return a name with {@code base} that hashes (as the tag of {@code covet:{name}}) into that third
     */
    public static String nameIn(int range, String base) {
        int per = 16384 / MASTERS;
        for (int i = 0; ; i++) {
            int slot = JedisClusterCRC16.getSlot(base + i);
            if (slot / per == range || range == MASTERS - 1 && slot >= range * per) {
                return base + i;
            }
        }
    }

    /** @return the index of the live master serving a key or channel now */
    public int masterOf(String keyOrChannel) {
        int slot = JedisClusterCRC16.getSlot(keyOrChannel);
        for (int i = 0; i < nodes.size(); i++) {
            try (Jedis jedis = jedis(i)) {
                if (jedis.info("replication").contains("role:master") && owns(jedis, slot)) {
                    return i;
                }
            } catch (RuntimeException e) {
                // A killed node answers nothing; the others say who serves the slot.
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }

    private static boolean owns(Jedis jedis, int slot) {
        String myself = jedis.clusterNodes().lines().filter(line -> line.contains("myself")).findFirst()
                .orElseThrow();
        String[] fields = myself.split(" ");
        for (int i = 8; i < fields.length; i++) {
            String range = fields[i];
            if (range.startsWith("[")) {
                continue;
            }
            String[] bounds = range.split("-");
            int from = Integer.parseInt(bounds[0]);
            int to = bounds.length > 1 ? Integer.parseInt(bounds[1]) : from;
            if (slot >= from && slot <= to) {
                return true;
            }
        }
        return false;
    }

    /** @return the index of another live master than the given one */
    public int anotherMaster(int master) {
        for (int i = 0; i < nodes.size(); i++) {
            if (i == master) {
                continue;
            }
            try (Jedis jedis = jedis(i)) {
                if (jedis.info("replication").contains("role:master")) {
                    return i;
                }
            } catch (RuntimeException e) {
                // Not alive.
            }
        }
        throw new IllegalStateException("no other master");
    }

    /**
     * Moves the slot of a key or channel, with its keys, from one master to another, as {@code redis-cli --cluster
     * reshard} does: the old master then unsubscribes the slot's shard channels.
     */
    public void moveSlot(String keyOrChannel, int from, int to) {
        int slot = JedisClusterCRC16.getSlot(keyOrChannel);
        String source = id(from);
        String target = id(to);
        try (Jedis old = jedis(from); Jedis next = jedis(to)) {
            next.clusterSetSlotImporting(slot, source);
            old.clusterSetSlotMigrating(slot, target);
            List<String> keys = old.clusterGetKeysInSlot(slot, 1000);
            if (!keys.isEmpty()) {
                old.migrate("127.0.0.1", nodes.get(to).port(), 5000, new MigrateParams(),
                        keys.toArray(String[]::new));
            }
            next.clusterSetSlotNode(slot, target);
            old.clusterSetSlotNode(slot, target);
            next.sendCommand(redis.clients.jedis.Protocol.Command.CLUSTER, "BUMPEPOCH");
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (i != from && i != to) {
                try (Jedis jedis = jedis(i)) {
                    if (jedis.info("replication").contains("role:master")) {
                        jedis.clusterSetSlotNode(slot, target);
                    }
                } catch (RuntimeException e) {
                    // A killed node learns nothing; the live ones do.
                }
            }
        }
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            if (!nodes.get(node).alive()) {
                continue;
            }
            await("node " + node + " knows slot " + slot + " moved", () -> {
                try (Jedis jedis = jedis(node)) {
                    return jedis.clusterNodes().lines().filter(line -> line.startsWith(target)).anyMatch(line ->
                            List.of(line.split(" ")).contains(Integer.toString(slot)));
                }
            });
        }
    }

    /** Waits until a master's replica has every write the master acknowledged (as {@code WAIT} does). */
    public void awaitReplicated(int master) {
        try (Jedis jedis = jedis(master)) {
            if (jedis.waitReplicas(1, 5000) < 1) {
                throw new IllegalStateException("the replica of node " + master + " did not catch up");
            }
        }
    }

    /** Kills a node with SIGKILL, as a crash; a killed master's replica takes over after the node timeout. */
    public void kill(int node) throws InterruptedException {
        nodes.get(node).kill();
    }

    /** Waits until every live node says the cluster is ok again. */
    public void awaitOk() {
        for (int i = 0; i < nodes.size(); i++) {
            int node = i;
            Awaitility.await("node " + node + " ok").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        try (Jedis jedis = jedis(node)) {
                            return jedis.clusterInfo().contains("cluster_state:ok");
                        } catch (RuntimeException e) {
                            return true;
                        }
                    });
        }
    }

    /** @return every node's address, for commands a test sends to each (e.g. closing subscriber connections) */
    public List<HostAndPort> addresses() {
        return nodes.stream().map(node -> new HostAndPort("127.0.0.1", node.port())).toList();
    }

    @Override
    public void close() throws Exception {
        for (RedisProcess node : nodes) {
            node.close();
        }
    }
}
