package dev.covet.benchmarks;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;

/**
 * The fan-out baseline: a bare JSR-356 endpoint whose sessions all belong to one group; a message
 * {@code go COUNT SIZE} sends COUNT messages to every session with a plain loop of async sends, each message
 * serialized once by hand. No queue bounds, no ordering guarantees beyond the container's.
 */
public class BareFanout extends Endpoint {

    private static final System.Logger LOG = System.getLogger(BareFanout.class.getName());
    private static final Set<Session> MEMBERS = ConcurrentHashMap.newKeySet();

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        MEMBERS.add(session);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> {
            if (text.startsWith("go ")) {
                String[] parts = text.split(" ");
                if (parts.length > 3 && "batch".equals(parts[3])) {
                    goBatched(session, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                } else {
                    go(session, Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                }
            }
        });
    }

    private static void go(Session driver, int count, int size) {
        String padding = "x".repeat(size);
        for (int i = 0; i < count; i++) {
            String frame = frame(i, padding);
            for (Session member : MEMBERS) {
                if (member != driver && member.isOpen()) {
                    member.getAsyncRemote().sendText(frame);
                }
            }
        }
        driver.getAsyncRemote().sendText("{\"event\":\"ack\"}");
    }

    /**
     * The container's portable batching, as the issue measured it: per member, batching on, every frame, one
     * {@code flushBatch()} (which blocks this thread until the member's bytes are written), batching off.
     */
    private static void goBatched(Session driver, int count, int size) {
        String padding = "x".repeat(size);
        String[] frames = new String[count];
        for (int i = 0; i < count; i++) {
            frames[i] = frame(i, padding);
        }
        for (Session member : MEMBERS) {
            if (member != driver && member.isOpen()) {
                try {
                    RemoteEndpoint.Async remote = member.getAsyncRemote();
                    remote.setBatchingAllowed(true);
                    for (String frame : frames) {
                        remote.sendText(frame);
                    }
                    remote.flushBatch();
                    remote.setBatchingAllowed(false);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.DEBUG, "Batch to a member failed: {0}", e.toString());
                }
            }
        }
        driver.getAsyncRemote().sendText("{\"event\":\"ack\"}");
    }

    /** One broadcast, serialized by hand as Covet's room message would be. */
    private static String frame(int seq, String padding) {
        return "{\"event\":\"fanout.message\",\"room\":\"fan\",\"data\":{\"sentNanos\":" + System.nanoTime()
                + ",\"seq\":" + seq + ",\"text\":\"" + padding + "\"}}";
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        MEMBERS.remove(session);
    }
}
