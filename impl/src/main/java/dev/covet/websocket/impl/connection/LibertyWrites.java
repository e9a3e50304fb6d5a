package dev.covet.websocket.impl.connection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * Frees a thread that Open Liberty would keep forever in one of its synchronous writes: the close frame
 * ({@code Session.close}, with Liberty's own 5.5 s timeout) and the ping ({@code sendPing}, with none). When the TCP
 * connection is closed under such a write — by its read side when the peer drops the connection, or by Liberty
 * closing the application's sessions itself — its TCP channel neither completes nor times out the write
 * ({@code WorkQueueManager.attemptIO} returns without completing a request on a closed connection, and the selector no
 * longer holds it), and an interrupt only makes the writer wait again (read in Liberty's source and bytecode).
 * Produced on demand on Open Liberty 26.0.0.3 by peers that read the server's close frame and drop the connection
 * at once (the kit's after-close case, many at a time): the closing thread stays in {@code SimpleSync.simpleWait}.
 * A write seen waiting there at every check, {@value #CHECK_SECONDS} s apart, for two checks (a close frame: longer
 * than Liberty's own timeout) or, a ping, for the send timeout and one check more, is failed the way Liberty's
 * timeout fails a write: a {@code SocketTimeoutException} handed to the context the writer waits on
 * ({@code impl.connLink.linkWrite.tcpWriteContext}; Liberty's close then closes the connection; a failed ping closes
 * it with {@code 4008}).
 * Reached by reflection, so Liberty is not a dependency; on any other container the write runs unwatched, and on a
 * Liberty whose internals differ it cannot be failed (a WARNING says so).
 */
final class LibertyWrites {

    private static final System.Logger LOG = System.getLogger(LibertyWrites.class.getName());
    /** Liberty's close write times out after 5.5 s: one still waiting at two checks this far apart is lost. */
    static final int CHECK_SECONDS = 6;
    /** Whether a session class is Liberty's ({@code SessionExt}, or {@code SessionExtV11} for WebSocket 2.1). */
    private static final ClassValue<Boolean> LIBERTY = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("com.ibm.ws.wsoc.external.SessionExt")) {
                    return true;
                }
            }
            return false;
        }
    };
    private static final String WAIT_CLASS = "com.ibm.ws.tcpchannel.internal.SimpleSync";
    private static final String WAIT_METHOD = "simpleWait";

    private final ScheduledExecutorService checks;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

    /** @param checks the thread that checks the writes in progress (the deployment's deadline thread) */
    LibertyWrites(ScheduledExecutorService checks) {
        this.checks = checks;
    }

    /**
     * Closes the session on this thread; on Open Liberty, a close frame's write left waiting is failed once it is
     * lost (above).
     *
     * @param session the session
     * @param reason the close reason
     * @throws IOException as {@link Session#close(CloseReason)}
     */
    void close(Session session, CloseReason reason) throws IOException {
        watched(session, 2, () -> session.close(reason));
    }

    /**
     * Runs the container's blocking ping on this thread; on Open Liberty, which has no timeout for it, a ping left
     * waiting at least {@code limit} is failed (above).
     *
     * @param session the session
     * @param limit how long a ping may wait (the send timeout)
     * @param ping the ping
     * @throws IOException as {@code RemoteEndpoint.sendPing}
     */
    void ping(Session session, java.time.Duration limit, Write ping) throws IOException {
        long inARow = (limit.toSeconds() + CHECK_SECONDS - 1) / CHECK_SECONDS + 1;
        watched(session, (int) Math.max(2, Math.min(1000, inARow)), ping);
    }

    /** Runs the write, failed if it is seen waiting at {@code inARow} checks in a row. */
    private void watched(Session session, int inARow, Write write) throws IOException {
        if (!LIBERTY.get(session.getClass())) {
            write.run();
            return;
        }
        Watch watch = new Watch(session, Thread.currentThread(), inARow);
        watches.add(watch);
        try {
            watch.future = checks.scheduleWithFixedDelay(watch, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // The application is stopping: failWaitingWrites() fails this write if it waits.
        }
        try {
            write.run();
        } finally {
            watch.done();
        }
    }

    /** A write to the container that may block. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    /**
     * At shutdown: fails at once the writes that wait now (the application is going; its threads must not outlive
     * it).
     */
    void failWaitingWrites() {
        for (Watch watch : watches) {
            if (watch.waiting()) {
                watch.fail();
            }
        }
    }

    /** One blocking write in progress on Open Liberty. */
    private final class Watch implements Runnable {
        private final Session session;
        private final Thread thread;
        private final int inARow;
        private volatile ScheduledFuture<?> future;
        private volatile boolean done;
        private int strikes;

        Watch(Session session, Thread thread, int inARow) {
            this.session = session;
            this.thread = thread;
            this.inARow = inARow;
        }

        @Override
        public void run() {
            strikes = waiting() ? strikes + 1 : 0;
            if (strikes >= inARow) {
                fail();
            }
        }

        /** @return whether the writing thread waits in Liberty's synchronous write now */
        boolean waiting() {
            if (done) {
                return false;
            }
            for (StackTraceElement frame : thread.getStackTrace()) {
                if (WAIT_METHOD.equals(frame.getMethodName()) && WAIT_CLASS.equals(frame.getClassName())) {
                    return !done;
                }
            }
            return false;
        }

        void fail() {
            done();
            if (LostWrite.fail(session)) {
                LOG.log(System.Logger.Level.WARNING, "A write of Open Liberty''s to {0} waited too long (its "
                        + "connection was closed under it, or the peer reads nothing); the write was failed so that "
                        + "{1} can return", session.getId(), thread.getName());
            }
        }

        void done() {
            done = true;
            watches.remove(this);
            ScheduledFuture<?> scheduled = future;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
    }

    /** The reflective path from Liberty's session to the write context its blocking writes wait on. */
    private static final class LostWrite {
        private LostWrite() {
        }

        /**
         * Hands the session's synchronous write a timeout and wakes it, as Liberty's own timeout does.
         *
         * @return false when Liberty's internals are not the expected ones (nothing was changed then)
         */
        static boolean fail(Session session) {
            try {
                // The context the writer itself holds: once the TCP connection is closed under the write, its
                // getWriteInterface() answers null.
                Object link = read(read(session, "impl"), "connLink");
                Object write = read(read(link, "linkWrite"), "tcpWriteContext");
                Field error = field(write.getClass(), "blockingIOError");
                Object wait = read(write, "blockWait");
                Method wake = method(wait.getClass(), "simpleNotify");
                error.set(write, new SocketTimeoutException("Open Liberty's write waited too long: its connection "
                        + "was closed under it, or the peer reads nothing"));
                wake.invoke(wait);
                return true;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Rare (a write already lost) and the only trace of why the thread stays: worth a warning.
                LOG.log(System.Logger.Level.WARNING, "A write of Open Liberty's to " + session.getId()
                        + " waited too long, but its write context could not be reached to fail it", e);
                return false;
            }
        }

        private static Object read(Object target, String name) throws ReflectiveOperationException {
            Object value = field(target.getClass(), name).get(target);
            if (value == null) {
                throw new NoSuchFieldException(name + " is null");
            }
            return value;
        }

        private static Field field(Class<?> type, String name) throws ReflectiveOperationException {
            return declared(type, name, c -> c.getDeclaredField(name));
        }

        private static Method method(Class<?> type, String name) throws ReflectiveOperationException {
            return declared(type, name, c -> c.getDeclaredMethod(name));
        }

        /** The member declared by {@code type} or its closest superclass, made accessible. */
        private static <T extends AccessibleObject> T declared(Class<?> type, String name, Lookup<T> lookup)
                throws ReflectiveOperationException {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    T member = lookup.in(c);
                    member.setAccessible(true);
                    return member;
                } catch (NoSuchFieldException | NoSuchMethodException e) {
                    // Declared higher up, if at all.
                }
            }
            throw new NoSuchFieldException(name + " in " + type.getName());
        }

        /** Looks a member up in one class. */
        private interface Lookup<T> {
            T in(Class<?> type) throws NoSuchFieldException, NoSuchMethodException;
        }
    }
}
