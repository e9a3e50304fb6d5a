package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Request/answer helpers over a {@link WireClient}, shared by the tests that drive rooms over the wire. */
final class Requests {

    private static final AtomicInteger IDS = new AtomicInteger();

    private Requests() {
    }

    /** Sends a request and returns its answer (reply, ack or error), skipping pushes that arrive first. */
    static String request(WireClient client, String event, String data) throws Exception {
        String id = "q" + IDS.incrementAndGet();
        client.send("{\"event\":\"" + event + "\",\"id\":\"" + id + "\",\"data\":" + data + "}");
        return untilReplyTo(client, id);
    }

    /** The answer to the request with this id, skipping what arrives before it. */
    static String untilReplyTo(WireClient client, String id) throws Exception {
        while (true) {
            String frame = client.next();
            if (frame.contains("\"replyTo\":\"" + id + "\"")) {
                return frame;
            }
        }
    }

    /** The next frame of an event, skipping others. */
    static String nextEvent(WireClient client, String event) throws Exception {
        while (true) {
            String frame = client.next();
            if (frame.startsWith("{\"event\":\"" + event + "\"")) {
                return frame;
            }
        }
    }

    /** A top-level or nested field's value as text (without quotes). */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\":\"?([^\",}]*)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }
}
