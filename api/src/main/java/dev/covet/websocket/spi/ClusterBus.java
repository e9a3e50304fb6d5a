package dev.covet.websocket.spi;

/**
 * How the nodes of one application reach each other: a room's messages go to the nodes that have members in it, and
 * node-wide messages (a push to a user, a disconnect) go to every node. The library's default has no other node, so a
 * single node works without any infrastructure; the Redis engine ({@code covet.cluster.redis.uri}) connects several.
 *
 * <p>A bus is a transport of the library's own messages, which it encodes and decodes; a room message stored by a
 * {@link RoomStore} that publishes in its {@link RoomStore#append append} reaches the nodes through the same room
 * topics. Delivery is at most once: the library detects lost room messages by their offsets and recovers them from the
 * store, so a bus needs no retry of its own. Implementations must be thread-safe.
 */
public interface ClusterBus extends AutoCloseable {

    /** The state of the bus, as reported in statistics and health. */
    enum State {
        /** There is no other node to reach (the default, single-node bus). */
        LOCAL,
        /** Connected and subscribed. */
        UP,
        /**
         * Connected, but part of the transport is being reconnected (e.g. one shard of a Redis Cluster): some rooms'
         * messages arrive once it is back, recovered in order.
         */
        DEGRADED,
        /** Reconnecting: local delivery works, other nodes are not reached until it is back. */
        DOWN
    }

    /** What a node does with what it receives; called on the bus's own thread, one message at a time. */
    interface Receiver {

        /**
         * A message for a room this node subscribed to, or a node-wide message ({@code room} null).
         *
         * @param room the room, or null for a node-wide message
         * @param message the message, as published
         */
        void received(String room, String message);

        /** Called after the bus reconnected and subscribed again: messages published meanwhile were lost. */
        void resubscribed();
    }

    /** @return this node's id, unique among the nodes of the application */
    String nodeId();

    /**
     * Starts receiving; called once, before any other method but {@link #nodeId()}.
     *
     * @param receiver what to hand received messages to
     */
    void start(Receiver receiver);

    /**
     * Subscribes to a room's messages, returning once the subscription is in force (or the bus is down, when it is
     * made on reconnection).
     *
     * @param room the room
     */
    void subscribe(String room);

    /**
     * @param room the room
     * @return whether this node is subscribed to the room, or will be again on reconnection
     */
    boolean isSubscribed(String room);

    /**
     * Stops the subscription to a room; returns at once.
     *
     * @param room the room
     */
    void unsubscribe(String room);

    /**
     * Publishes to the nodes subscribed to a room, or to every node.
     *
     * @param room the room, or null for every node
     * @param message the message
     * @return false when it could not be published (the bus is down); the caller counts it
     */
    boolean publish(String room, String message);

    /**
     * Nodes that stopped signalling that they live (crashed, or cut off for longer than the node timeout), each
     * handed to exactly one live node, which then clears their presence from the rooms.
     *
     * @return the lost nodes found since the last call; empty on a single node
     */
    java.util.List<String> lostNodes();

    /**
     * Takes one of a user's connection slots across the nodes ({@code covet.connections.max-per-user}), after this
     * node's own count admitted the connection. While the shared count is out of reach the node's own limit alone
     * applies (the connection is admitted).
     *
     * @param user the user
     * @param max the most connections the user may hold on all nodes
     * @return false when the user already holds {@code max}
     */
    default boolean takeUserSlot(String user, int max) {
        return true;
    }

    /**
     * Gives back a slot {@link #takeUserSlot} took.
     *
     * @param user the user
     */
    default void giveUserSlot(String user) {
        // A single node counts on its own.
    }

    /** @return the current state */
    State state();

    /** @return times the bus reconnected since start */
    default long reconnects() {
        return 0;
    }

    /** @return the last error the bus saw, without secrets, or null */
    default String lastError() {
        return null;
    }

    /** Stops receiving and releases the connections. */
    @Override
    void close();
}
