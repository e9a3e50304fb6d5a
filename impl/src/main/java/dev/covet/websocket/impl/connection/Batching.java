package dev.covet.websocket.impl.connection;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

import jakarta.websocket.Session;

/**
 * Writes several queued frames together where the container can do it without blocking: with
 * {@code setBatchingAllowed(true)} the frames collect in the container's buffer, and when the queue drains they are
 * flushed in one write. The portable {@code flushBatch()} blocks its caller until the peer took the bytes (Jetty 12
 * waits on a future), which a broadcasting thread must never do, so batching is used only where an asynchronous
 * flush exists: Jetty 12's {@code CoreSession.flush(Callback)}, reached by reflection so that no container is a
 * dependency. Tyrus (standalone, Payara, GlassFish) has no batching at all (its {@code setBatchingAllowed} and
 * {@code flushBatch} do nothing), so there the frames are collected here, encoded as the server frames they would
 * be, and written in one {@code TyrusWebSocket.sendRawFrame} whose future completes without blocking; only where no
 * extension (permessage-deflate) was negotiated, since raw frames bypass extensions. Elsewhere each frame is its own
 * send, as before.
 *
 * <p>Pings too: the portable {@code sendPing} blocks until the ping is written, and on Jetty 12 a ping sent from a
 * send's completion (the queue goes on with its next frame there) waits for the very flusher that is running the
 * completion — it never returns (seen in a soak: the thread stayed blocked for 23 minutes, and the connection whose
 * frames it was handling lost its heartbeat). Where Jetty 12's {@code CoreSession.sendFrame(Frame, Callback,
 * boolean)} exists, pings are sent through it without blocking, whether batching is allowed or not.
 */
abstract class Batching {

    /** No batching: one send per frame. */
    static final Batching NONE = new Batching() {
        @Override
        boolean enabled() {
            return false;
        }

        @Override
        void flush(Runnable done, Consumer<Throwable> failed) {
            done.run();
        }

        @Override
        boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed) {
            return false;
        }
    };

    /** Per container session class: how to reach Jetty 12's asynchronous flush, or null where there is none. */
    private static final ClassValue<JettyApi> JETTY = new ClassValue<>() {
        @Override
        protected JettyApi computeValue(Class<?> type) {
            try {
                Method coreSession = type.getMethod("getCoreSession");
                ClassLoader loader = type.getClassLoader();
                Class<?> callback = Class.forName("org.eclipse.jetty.util.Callback", false, loader);
                Method flush = Class.forName("org.eclipse.jetty.websocket.core.CoreSession", false, loader)
                        .getMethod("flush", callback);
                Class<?> invocationType = Class.forName("org.eclipse.jetty.util.thread.Invocable$InvocationType",
                        false, loader);
                Method from = callback.getMethod("from", invocationType, Runnable.class, Consumer.class);
                Class<?> frame = Class.forName("org.eclipse.jetty.websocket.core.Frame", false, loader);
                Method sendFrame = flush.getDeclaringClass().getMethod("sendFrame", frame, callback, boolean.class);
                Constructor<?> newFrame = frame.getConstructor(byte.class, ByteBuffer.class);
                return new JettyApi(coreSession, flush, from, nonBlocking(invocationType), sendFrame, newFrame);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    /** @return whether frames are batched and flushed when the queue drains */
    abstract boolean enabled();

    /**
     * Writes what was batched; exactly one of the two runs, possibly before this returns.
     *
     * @param done run once the batched frames were written
     * @param failed run with the failure otherwise
     */
    abstract void flush(Runnable done, Consumer<Throwable> failed);

    /**
     * Sends a ping without blocking, where the container can.
     *
     * @param data the ping's payload
     * @param done run once the ping was written
     * @param failed run with the failure otherwise
     * @return false where the container has no such send: nothing was sent, and the caller uses
     *     {@code RemoteEndpoint.sendPing}; when true, exactly one of the two runs, possibly before this returns
     */
    abstract boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed);

    /**
     * Takes a frame into the batch, where frames are collected here rather than in the container.
     *
     * @param frame a text ({@link String}) or binary ({@code byte[]}) frame
     * @return false where the container batches: nothing was taken, and the caller sends the frame
     */
    boolean collect(Object frame) {
        return false;
    }

    /** @return whether so much was collected that the caller should flush before collecting more */
    boolean full() {
        return false;
    }

    /** Writes what was collected ahead of the close frame the caller sends next, without waiting. */
    void closing() {
    }

    /**
     * @param session the container's session
     * @param allowed whether the configuration allows batching ({@code covet.outbound.batching})
     * @return how this session's frames are written
     */
    static Batching of(Session session, boolean allowed) {
        JettyApi jetty = JETTY.get(session.getClass());
        if (jetty == null) {
            return allowed ? TyrusFrames.of(session) : NONE;
        }
        try {
            return new JettyFlush(jetty.coreSession().invoke(session), jetty, allowed);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NONE;
        }
    }

    /** {@code InvocationType.NON_BLOCKING}, looked up as a constant of the container's enum. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object nonBlocking(Class<?> invocationType) {
        return Enum.valueOf((Class) invocationType, "NON_BLOCKING");
    }

    /**
     * The reflective handles of Jetty 12's flush.
     *
     * @param coreSession {@code JakartaWebSocketSession.getCoreSession()}
     * @param flush {@code CoreSession.flush(Callback)}
     * @param from {@code Callback.from(InvocationType, Runnable, Consumer)}
     * @param nonBlocking {@code InvocationType.NON_BLOCKING}
     * @param sendFrame {@code CoreSession.sendFrame(Frame, Callback, boolean)}
     * @param newFrame {@code new Frame(byte opCode, ByteBuffer payload)}
     */
    private record JettyApi(Method coreSession, Method flush, Method from, Object nonBlocking, Method sendFrame,
                            Constructor<?> newFrame) {
    }

    /**
     * Jetty 12: {@code coreSession.flush(Callback.from(NON_BLOCKING, done, failed))} and
     * {@code coreSession.sendFrame(new Frame(PING, data), callback, false)}, which do not block. The callbacks only
     * start the queue's next asynchronous sends, so Jetty may run them on the thread that completed the write instead
     * of handing them to another thread (one wake-up per connection and burst saved).
     */
    private static final class JettyFlush extends Batching {
        private static final byte PING = 0x9;

        private final Object core;
        private final JettyApi jetty;
        private final boolean batching;

        JettyFlush(Object core, JettyApi jetty, boolean batching) {
            this.core = core;
            this.jetty = jetty;
            this.batching = batching;
        }

        @Override
        boolean enabled() {
            return batching;
        }

        @Override
        void flush(Runnable done, Consumer<Throwable> failed) {
            try {
                jetty.flush().invoke(core, callback(done, failed));
            } catch (InvocationTargetException e) {
                failed.accept(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                failed.accept(e);
            }
        }

        @Override
        boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed) {
            try {
                jetty.sendFrame().invoke(core, jetty.newFrame().newInstance(PING, data), callback(done, failed), false);
            } catch (InvocationTargetException e) {
                failed.accept(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                failed.accept(e);
            }
            return true;
        }

        private Object callback(Runnable done, Consumer<Throwable> failed) throws ReflectiveOperationException {
            return jetty.from().invoke(null, jetty.nonBlocking(), done, failed);
        }
    }
}
