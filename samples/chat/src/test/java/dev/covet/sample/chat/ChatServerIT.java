package dev.covet.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded server in front of Covet: handshakes that never finish are dropped, and refusals never echo the
 * request (with its token) in an error page.
 */
class ChatServerIT {

    private static ChatServer chat;

    @BeforeAll
    static void start() throws Exception {
        chat = ChatServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    @Test
    void aHandshakeThatNeverFinishesIsDroppedAfterTheIdleTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", chat.port())) {
            socket.setSoTimeout((int) ChatServer.HTTP_IDLE_TIMEOUT_MILLIS * 3);
            socket.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the half-sent handshake was still held after "
                        + ChatServer.HTTP_IDLE_TIMEOUT_MILLIS * 3 + " ms", e);
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            long heldMillis = (System.nanoTime() - started) / 1_000_000;
            assertThat(heldMillis).as("held until the idle timeout")
                    .isGreaterThanOrEqualTo(ChatServer.HTTP_IDLE_TIMEOUT_MILLIS - 1_000);
            assertThat(read).as("nothing but the end of the stream (or an error status)")
                    .isIn(-1, (int) 'H');
        }
    }

    @Test
    void aRefusedHandshakeHasNoBodyThatCouldEchoTheToken() throws Exception {
        String response = exchange("GET /ws?access_token=not.a.valid-token-SECRETVALUE HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + chat.port() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 401").doesNotContain("SECRETVALUE").doesNotContain("access_token");
        assertThat(response.substring(response.indexOf("\r\n\r\n") + 4)).as("body").isEmpty();
    }

    private static String exchange(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", chat.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }
}
