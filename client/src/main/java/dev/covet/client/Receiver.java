package dev.covet.client;

import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Receives from one JDK WebSocket: joins the parts of each text message and hands whole messages and the close to
 * the client's event thread, never running client code on the JDK's I/O thread.
 */
final class Receiver implements WebSocket.Listener {

    /** What the event thread does with a close: the connection, its code and reason. */
    interface Closed {
        void closed(WebSocket webSocket, int code, String reason);
    }

    private final Executor loop;
    private final BiConsumer<WebSocket, String> messages;
    private final Closed closes;
    private final StringBuilder partial = new StringBuilder();

    Receiver(Executor loop, BiConsumer<WebSocket, String> messages, Closed closes) {
        this.loop = loop;
        this.messages = messages;
        this.closes = closes;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            loop.execute(() -> messages.accept(webSocket, text));
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        loop.execute(() -> closes.closed(webSocket, statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        loop.execute(() -> closes.closed(webSocket, 1006, String.valueOf(error.getMessage())));
    }
}
