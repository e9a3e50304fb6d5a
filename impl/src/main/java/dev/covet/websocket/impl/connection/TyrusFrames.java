package dev.covet.websocket.impl.connection;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import jakarta.websocket.Session;

/**
 * Batching on Tyrus (standalone, Payara, GlassFish), which has none of its own: frames are collected here, encoded
 * as the unmasked server frames Tyrus would write, and handed to {@code TyrusWebSocket.sendRawFrame} in one buffer.
 * Tyrus writes raw frames through the same ordered write queue as its own, and the returned future is a
 * {@link CompletableFuture}, so the flush completes without blocking. A frame written raw bypasses Tyrus's
 * extensions, so this is used only on sessions that negotiated none.
 *
 * <p>Not thread-safe: only the thread that holds the queue's in-flight flag calls it.
 */
final class TyrusFrames extends Batching {

    private static final System.Logger LOG = System.getLogger(TyrusFrames.class.getName());
    /** A flush is started as soon as this much was collected, so that one drain cannot grow without bound. */
    static final int FLUSH_AT = 64 * 1024;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int FIN = 0x80;

    /** Per session class: how to reach Tyrus's raw frame send, or null where there is none. */
    private static final ClassValue<TyrusApi> TYRUS = new ClassValue<>() {
        @Override
        protected TyrusApi computeValue(Class<?> type) {
            try {
                ClassLoader loader = type.getClassLoader();
                Class<?> remote = Class.forName("org.glassfish.tyrus.core.TyrusRemoteEndpoint", false, loader);
                Field webSocket = remote.getDeclaredField("webSocket");
                webSocket.setAccessible(true);
                Method sendRawFrame = webSocket.getType().getMethod("sendRawFrame", ByteBuffer.class);
                Class<?> future = Class.forName("org.glassfish.tyrus.core.TyrusFuture", false, loader);
                if (!CompletableFuture.class.isAssignableFrom(future)) {
                    return null;
                }
                return new TyrusApi(remote, webSocket, sendRawFrame);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private final Object webSocket;
    private final Method sendRawFrame;
    /** The frames collected since the last flush, encoded; null when there are none (an idle connection holds none). */
    private byte[] buffer;
    private int length;

    private TyrusFrames(Object webSocket, Method sendRawFrame) {
        this.webSocket = webSocket;
        this.sendRawFrame = sendRawFrame;
    }

    /**
     * @param session the container's session
     * @return Tyrus batching for a Tyrus session without extensions, else {@link Batching#NONE}
     */
    static Batching of(Session session) {
        TyrusApi tyrus = TYRUS.get(session.getClass());
        if (tyrus == null || !session.getNegotiatedExtensions().isEmpty()) {
            return NONE;
        }
        try {
            Object remote = session.getAsyncRemote();
            return tyrus.remote().isInstance(remote)
                    ? new TyrusFrames(tyrus.webSocket().get(remote), tyrus.sendRawFrame()) : NONE;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NONE;
        }
    }

    @Override
    boolean enabled() {
        return true;
    }

    @Override
    boolean collect(Object frame) {
        byte[] payload;
        int opcode;
        if (frame instanceof String text) {
            payload = text.getBytes(StandardCharsets.UTF_8);
            opcode = TEXT;
        } else {
            payload = (byte[]) frame;
            opcode = BINARY;
        }
        int size = payload.length;
        ensure(length + 10 + size);
        buffer[length++] = (byte) (FIN | opcode);
        if (size < 126) {
            buffer[length++] = (byte) size;
        } else if (size <= 0xFFFF) {
            buffer[length++] = 126;
            buffer[length++] = (byte) (size >>> 8);
            buffer[length++] = (byte) size;
        } else {
            buffer[length++] = 127;
            for (int shift = 56; shift >= 0; shift -= 8) {
                buffer[length++] = (byte) ((long) size >>> shift);
            }
        }
        System.arraycopy(payload, 0, buffer, length, size);
        length += size;
        return true;
    }

    @Override
    boolean full() {
        return length >= FLUSH_AT;
    }

    @Override
    void flush(Runnable done, Consumer<Throwable> failed) {
        if (length == 0) {
            done.run();
            return;
        }
        try {
            Object written = sendRawFrame.invoke(webSocket, take());
            // Tyrus's futures are completable (checked when its classes were looked up).
            ((CompletableFuture<?>) written).whenComplete((frame, failure) -> {
                // A future swallows what its callback throws: say it, or the queue would stop without a word.
                try {
                    if (failure == null) {
                        done.run();
                    } else {
                        failed.accept(failure);
                    }
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "Outbound queue failed after a write", e);
                    throw e;
                }
            });
        } catch (InvocationTargetException e) {
            failed.accept(e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            failed.accept(e);
        }
    }

    @Override
    void closing() {
        if (length > 0) {
            try {
                sendRawFrame.invoke(webSocket, take());
            } catch (ReflectiveOperationException | RuntimeException e) {
                // The connection is closing: what could not be written is lost with it.
            }
        }
    }

    @Override
    boolean ping(ByteBuffer data, Runnable done, Consumer<Throwable> failed) {
        // Tyrus's own sendPing does not block (it drops the write's future).
        return false;
    }

    /** Hands the collected frames over: Tyrus keeps the buffer until it is written, so it is not reused. */
    private ByteBuffer take() {
        ByteBuffer data = ByteBuffer.wrap(buffer, 0, length);
        buffer = null;
        length = 0;
        return data;
    }

    private void ensure(int capacity) {
        if (buffer == null) {
            buffer = new byte[Math.max(capacity, 1024)];
        } else if (capacity > buffer.length) {
            buffer = java.util.Arrays.copyOf(buffer, Math.max(capacity, buffer.length * 2));
        }
    }

    /**
     * The reflective handles of Tyrus's raw send.
     *
     * @param remote {@code TyrusRemoteEndpoint}
     * @param webSocket its {@code webSocket} field
     * @param sendRawFrame {@code TyrusWebSocket.sendRawFrame(ByteBuffer)}
     */
    private record TyrusApi(Class<?> remote, Field webSocket, Method sendRawFrame) {
    }
}
