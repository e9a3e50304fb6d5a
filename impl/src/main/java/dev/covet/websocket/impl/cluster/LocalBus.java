package dev.covet.websocket.impl.cluster;

import dev.covet.websocket.spi.ClusterBus;

/**
 * The default bus: this node is the only one, so there is nobody to publish to and every subscription is in force.
 */
final class LocalBus implements ClusterBus {

    private final String nodeId;

    LocalBus(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public void start(Receiver receiver) {
        // Nothing ever arrives from another node.
    }

    @Override
    public void subscribe(String room) {
        // Every room's messages are delivered on this node already.
    }

    @Override
    public boolean isSubscribed(String room) {
        return true;
    }

    @Override
    public void unsubscribe(String room) {
        // Nothing to stop.
    }

    @Override
    public boolean publish(String room, String message) {
        return true;
    }

    @Override
    public java.util.List<String> lostNodes() {
        return java.util.List.of();
    }

    @Override
    public State state() {
        return State.LOCAL;
    }

    @Override
    public void close() {
        // Holds nothing.
    }
}
