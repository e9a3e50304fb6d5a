package dev.covet.websocket.impl.connection;

import java.util.function.Consumer;

/**
 * Sends the container's blocking ping on another thread ({@link ForcedCloses#ping}), so that the thread that reached
 * the ping in a connection's queue (the heartbeat sweep, a container's thread) never waits for a full socket.
 */
@FunctionalInterface
interface BlockingPings {
    /**
     * @param ping sends the ping (blocking)
     * @param sent runs once it was sent
     * @param failed runs if it failed
     * @return false when it cannot (the application stopped): the caller then pings on its own thread
     */
    boolean send(LibertyWrites.Write ping, Runnable sent, Consumer<Throwable> failed);
}
