package dev.covet.benchmarks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.covet.websocket.Route;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.Rooms;

/**
 * The Covet side of the fan-out benchmark: {@code fanout.go} broadcasts to a room through {@link Rooms}, with
 * everything a room message costs (serialize once, offset, history, per-member bounded queue); the burst runs in
 * {@link Rooms#batch}, so that each member's frames are written together (on Jetty), as Socket.IO writes one tick's.
 */
@ApplicationScoped
public class FanoutHandler {

    @Inject
    Rooms rooms;

    void go(@Observes @Route("fanout.go") Inbound<FanoutGo> in) {
        FanoutGo go = in.payload();
        String text = "x".repeat(go.size());
        rooms.batch(() -> {
            for (int i = 0; i < go.count(); i++) {
                rooms.broadcast(go.room(), "fanout.message", new FanoutMessage(i, System.nanoTime(), text));
            }
        });
        in.ack();
    }

    /**
     * One broadcast.
     *
     * @param seq its number in the run
     * @param sentNanos when the server sent it
     * @param text padding
     */
    public record FanoutMessage(int seq, long sentNanos, String text) {
    }
}
