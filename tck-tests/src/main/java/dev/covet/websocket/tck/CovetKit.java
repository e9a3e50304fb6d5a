package dev.covet.websocket.tck;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestClassOrder;

/**
 * The black-box compatibility kit: the wire protocol of {@code docs/protocol.md}, exercised against the chat
 * sample on one container. Each runner extends it and says where the sample runs and how to get a token.
 *
 * <p>Compiled without the implementation: only a socket, JSON and the documented protocol. The cases are grouped
 * by feature ({@link ProtocolCases}, {@link AuthenticationCases}, {@link ProtectionCases}, {@link RoomCases},
 * {@link LifecycleCases}), each nested here so that every runner runs them all; the lifecycle group runs last,
 * since its undeploy case ends the application.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
public abstract class CovetKit {

    /** {@code covet.connections.max-per-user} the runners configure (system property). */
    protected static final int PER_USER_LIMIT = 3;

    /** {@code covet.connections.max-per-ip} the runners configure; they also trust 127.0.0.1 as a proxy. */
    protected static final int PER_IP_LIMIT = 10;

    /** {@code covet.rate.bytes-per-second} the runners configure. */
    protected static final int BYTES_PER_SECOND = 65_536;

    /**
     * Longer than the heartbeat interval plus timeout the runners configure (1 s + 2 s): within it an idle connection
     * is pinged, and closed with 4011 had its pong been missed.
     */
    protected static final java.time.Duration HEARTBEAT_ROUND = java.time.Duration.ofSeconds(4);

    /** @return the sample's WebSocket URI, e.g. {@code ws://127.0.0.1:8080/ws} */
    protected abstract URI webSocketUri();

    /**
     * A valid token for the user, as the application issues it: by default from the sample's development
     * endpoint {@code GET /api/token?user=NAME}; runners without an HTTP layer override this.
     *
     * @param user the user name
     * @return the token
     * @throws Exception when it cannot be obtained
     */
    protected String token(String user) throws Exception {
        return token(user, 3600);
    }

    /**
     * A valid token for the user that expires after the given seconds ({@code GET /api/token?user=NAME&seconds=S}).
     *
     * @param user the user name
     * @param seconds its lifetime, 1 to 3600
     * @return the token
     * @throws Exception when it cannot be obtained
     */
    protected String token(String user, long seconds) throws Exception {
        return sampleToken(httpRoot().orElseThrow(() -> new IllegalStateException("override token() without HTTP")),
                user, seconds);
    }

    /**
     * A token from the chat sample's development endpoint ({@code GET /api/token?user=NAME&seconds=S}).
     *
     * @param root the sample's HTTP root
     * @param user the user name
     * @param seconds its lifetime, 1 to 3600
     * @return the token
     * @throws Exception when it cannot be obtained
     */
    public static String sampleToken(URI root, String user, long seconds) throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                root.resolve("api/token?user=" + user + "&seconds=" + seconds)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return body.substring(body.indexOf(":\"") + 2, body.lastIndexOf('"'));
    }

    /** @return the sample's HTTP root when the container serves HTTP (servlet containers), else empty */
    protected Optional<URI> httpRoot() {
        return Optional.empty();
    }

    /**
     * Whether a refused handshake is answered with an HTTP status before the upgrade (servlet containers where
     * the library's filter runs first) rather than a close code after it.
     *
     * @return by default, whether the runner has an HTTP layer
     */
    protected boolean refusesWithHttpStatus() {
        return httpRoot().isPresent();
    }

    /**
     * Why the stalled-member case cannot pass on this container yet, or empty when it must pass.
     *
     * @return the known limitation, reported as the reason the case is skipped
     */
    protected Optional<String> stalledMemberLimitation() {
        return Optional.empty();
    }

    /** @return whether the container is expected to negotiate permessage-deflate */
    protected boolean compresses() {
        return true;
    }

    /**
     * Undeploys the sample, for the last case; runners that cannot undeploy at run time keep this default, which
     * skips that case with the reason.
     *
     * @throws Exception when undeploying fails
     */
    protected void undeploy() throws Exception {
        Assumptions.abort("this runner cannot undeploy the application while the server runs");
    }

    /**
     * The live threads of the JVM that runs the sample (this JVM for embedded containers), with their stacks, so
     * that a thread left behind names the call it is blocked in.
     *
     * @return each thread's name and its stack (threads of the same name are listed under one)
     * @throws Exception when they cannot be listed
     */
    protected Map<String, String> serverThreads() throws Exception {
        Map<String, String> threads = new TreeMap<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> threads.merge(thread.getName(),
                Arrays.stream(stack).map(frame -> "\tat " + frame).collect(Collectors.joining("\n")),
                (one, other) -> one + "\n--\n" + other));
        return threads;
    }

    /**
     * The size above which the container itself may close an oversized message with 1011 before the library sees
     * it (Tyrus and so Payara: a read larger than its incoming buffer, 4 MiB by default; see
     * {@code docs/deployment.md}); empty where every oversized message is closed with 1009.
     *
     * @return the limit in bytes, or empty
     */
    protected OptionalInt singleFrameLimit() {
        return OptionalInt.empty();
    }

    /** The wire protocol. */
    @Nested
    @Order(1)
    class Protocol extends ProtocolCases {
        @Override
        protected CovetKit kit() {
            return CovetKit.this;
        }
    }

    /** The handshake. */
    @Nested
    @Order(2)
    class Authentication extends AuthenticationCases {
        @Override
        protected CovetKit kit() {
            return CovetKit.this;
        }
    }

    /** Limits and protection. */
    @Nested
    @Order(3)
    class Protection extends ProtectionCases {
        @Override
        protected CovetKit kit() {
            return CovetKit.this;
        }
    }

    /** Rooms. */
    @Nested
    @Order(4)
    class Rooms extends RoomCases {
        @Override
        protected CovetKit kit() {
            return CovetKit.this;
        }
    }

    /** The application's life; last, since its final case undeploys the application. */
    @Nested
    @Order(Integer.MAX_VALUE)
    class Lifecycle extends LifecycleCases {
        @Override
        protected CovetKit kit() {
            return CovetKit.this;
        }
    }
}
