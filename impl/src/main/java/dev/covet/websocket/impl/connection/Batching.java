package dev.covet.websocket.impl.connection;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Consumer;

import jakarta.websocket.Session;

/**
 * Writes several queued frames together where the container can do it without blocking: with
 * {@code setBatchingAllowed(true)} the frames collect in the container's buffer, and when the queue drains they are
 * flushed in one write. The portable {@code flushBatch()} blocks its caller until the peer took the bytes (Jetty 12
 * waits on a future), which a broadcasting thread must never do, so batching is used only where an asynchronous
 * flush exists: Jetty 12's {@code CoreSession.flush(Callback)}, reached by reflection so that no container is a
 * dependency. Elsewhere each frame is its own send, as before.
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
    };

    private static final ClassValue<Method> CORE_SESSION = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("getCoreSession");
            } catch (NoSuchMethodException e) {
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
     * @param session the container's session
     * @param allowed whether the configuration allows batching ({@code covet.outbound.batching})
     * @return how this session's frames are written
     */
    static Batching of(Session session, boolean allowed) {
        if (!allowed) {
            return NONE;
        }
        Method coreSession = CORE_SESSION.get(session.getClass());
        if (coreSession == null) {
            return NONE;
        }
        try {
            Object core = coreSession.invoke(session);
            ClassLoader loader = core.getClass().getClassLoader();
            Class<?> callback = Class.forName("org.eclipse.jetty.util.Callback", false, loader);
            Method flush = Class.forName("org.eclipse.jetty.websocket.core.CoreSession", false, loader)
                    .getMethod("flush", callback);
            Class<?> invocationType = Class.forName("org.eclipse.jetty.util.thread.Invocable$InvocationType", false,
                    loader);
            Method from = callback.getMethod("from", invocationType, Runnable.class, Consumer.class);
            return new JettyFlush(core, flush, from, nonBlocking(invocationType));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return NONE;
        }
    }

    /** {@code InvocationType.NON_BLOCKING}, looked up as a constant of the container's enum. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object nonBlocking(Class<?> invocationType) {
        return Enum.valueOf((Class) invocationType, "NON_BLOCKING");
    }

    /**
     * Jetty 12: {@code coreSession.flush(Callback.from(NON_BLOCKING, done, failed))}, which does not block. The
     * callback only starts the queue's next asynchronous sends, so Jetty may run it on the thread that completed the
     * write instead of handing it to another thread (one wake-up per connection and burst saved).
     */
    private static final class JettyFlush extends Batching {
        private final Object core;
        private final Method flush;
        private final Method from;
        private final Object nonBlocking;

        JettyFlush(Object core, Method flush, Method from, Object nonBlocking) {
            this.core = core;
            this.flush = flush;
            this.from = from;
            this.nonBlocking = nonBlocking;
        }

        @Override
        boolean enabled() {
            return true;
        }

        @Override
        void flush(Runnable done, Consumer<Throwable> failed) {
            try {
                flush.invoke(core, from.invoke(null, nonBlocking, done, failed));
            } catch (InvocationTargetException e) {
                failed.accept(e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                failed.accept(e);
            }
        }
    }
}
