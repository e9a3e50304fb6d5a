package dev.covet.websocket.impl.connection;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.Session;

import dev.covet.websocket.Connection;

/**
 * Reaches the deployment's ping threads for tests in other packages: holds all four, as blocking pings to four peers
 * whose sockets are full would (a state no container here reaches on demand), and tells whether a connection's ping
 * waits for one.
 */
public final class PingThreads {

    private static final int THREADS = 4;

    private PingThreads() {
    }

    /**
     * Occupies every ping thread until {@code release} opens.
     *
     * @param registry the deployment's registry
     * @param release opened by the test
     * @throws InterruptedException if interrupted while waiting for the threads to be taken
     */
    public static void holdAll(ConnectionRegistry registry, CountDownLatch release) throws InterruptedException {
        // A session of no container: only its class is looked at (it is not Open Liberty's).
        Session token = (Session) Proxy.newProxyInstance(PingThreads.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> null);
        CountDownLatch taken = new CountDownLatch(THREADS);
        for (int i = 0; i < THREADS; i++) {
            registry.closers().ping(token, java.time.Duration.ofHours(1), () -> {
                taken.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, () -> { }, failure -> { });
        }
        if (!taken.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("The ping threads were not all taken");
        }
    }

    /**
     * @param connection a connection of the deployment
     * @return whether its ping waits for a ping thread
     */
    public static boolean pingWaiting(Connection connection) {
        return ((DefaultConnection) connection).pingWaiting();
    }
}
