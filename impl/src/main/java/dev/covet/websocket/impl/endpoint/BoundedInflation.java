package dev.covet.websocket.impl.endpoint;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import jakarta.websocket.Extension;

/**
 * Makes Tyrus's permessage-deflate enforce {@code covet.max-message-bytes} while inflating, not after.
 *
 * <p>Tyrus inflates a whole compressed message before its size check (measured: about 50 MB allocated for a
 * 10 MiB message of one letter, 10 KB on the wire). This wraps Tyrus's extension in a proxy of Tyrus's own
 * {@code ExtendedExtension} interface, found by reflection, that first feeds every compressed frame to a
 * per-connection shadow {@link Inflater} counting into a small scratch buffer. When a message would inflate past
 * the limit, Tyrus is handed an uncompressed frame one byte over the limit instead, and closes the connection
 * with 1009 by itself. Everything else is delegated unchanged. The shadow keeps the compression context across
 * messages, so it inflates correctly with or without context takeover. Cost: compressed inbound messages are
 * inflated twice.
 */
final class BoundedInflation implements InvocationHandler {

    private static final System.Logger LOG = System.getLogger(BoundedInflation.class.getName());
    private static final String EXTENDED = "org.glassfish.tyrus.core.extension.ExtendedExtension";
    private static final String FRAME = "org.glassfish.tyrus.core.frame.Frame";
    private static final String STATE = BoundedInflation.class.getName();
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private final Extension tyrus;
    private final int maxMessageBytes;

    private BoundedInflation(Extension tyrus, int maxMessageBytes) {
        this.tyrus = tyrus;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Wraps Tyrus's extension, or returns it unchanged when Tyrus's extension interface cannot be found.
     *
     * @param tyrus Tyrus's {@code PerMessageDeflateExtension}
     * @param maxMessageBytes the inflated size limit
     * @return the extension to register
     */
    static Extension wrap(Extension tyrus, int maxMessageBytes) {
        try {
            Class<?> extended = Class.forName(EXTENDED, false, tyrus.getClass().getClassLoader());
            return (Extension) Proxy.newProxyInstance(tyrus.getClass().getClassLoader(), new Class<?>[] {extended},
                    new BoundedInflation(tyrus, maxMessageBytes));
        } catch (ClassNotFoundException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "Tyrus deflate not wrapped; inflated sizes are checked by Tyrus "
                    + "after inflation: " + e);
            return tyrus;
        }
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        Object[] actual = args;
        if (method.getName().equals("processIncoming") && args != null && args.length == 2) {
            actual = new Object[] {args[0], bounded(args[0], args[1])};
        } else if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "Bounded" + tyrus;
            };
        }
        try {
            return method.invoke(tyrus, actual);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Counts what the frame inflates to; past the limit, replaces it with an uncompressed oversize frame. */
    private Object bounded(Object context, Object frame) throws ReflectiveOperationException {
        Class<?> type = Class.forName(FRAME, false, frame.getClass().getClassLoader());
        if ((boolean) type.getMethod("isControlFrame").invoke(frame)) {
            return frame;
        }
        Class<?> contextType = Class.forName(EXTENDED + "$ExtensionContext", false, type.getClassLoader());
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) contextType.getMethod("getProperties").invoke(context);
        Shadow shadow = (Shadow) properties.computeIfAbsent(STATE, key -> new Shadow());
        byte opcode = (byte) type.getMethod("getOpcode").invoke(frame);
        boolean fin = (boolean) type.getMethod("isFin").invoke(frame);
        if (opcode != 0) {
            shadow.compressedMessage = (boolean) type.getMethod("isRsv1").invoke(frame);
            shadow.inflated = 0;
        }
        if (!shadow.compressedMessage || shadow.broken) {
            return frame;
        }
        if (!shadow.fits((byte[]) type.getMethod("getPayloadData").invoke(frame), fin, maxMessageBytes)) {
            Object builder = type.getMethod("builder", type).invoke(null, frame);
            builder.getClass().getMethod("rsv1", boolean.class).invoke(builder, false);
            builder.getClass().getMethod("payloadData", byte[].class).invoke(builder, new byte[maxMessageBytes + 1]);
            builder.getClass().getMethod("payloadLength", long.class).invoke(builder, maxMessageBytes + 1L);
            return builder.getClass().getMethod("build").invoke(builder);
        }
        return frame;
    }

    /** One connection's shadow inflater; Tyrus reads a connection's frames one at a time. */
    private static final class Shadow {
        private final Inflater inflater = new Inflater(true);
        private final byte[] scratch = new byte[8192];
        private boolean compressedMessage;
        private boolean broken;
        private long inflated;

        /** @return false as soon as the message inflates past {@code max} bytes */
        boolean fits(byte[] payload, boolean fin, int max) {
            try {
                if (!count(payload, max)) {
                    return false;
                }
                return !fin || count(TAIL, max);
            } catch (DataFormatException e) {
                broken = true;
                inflater.end();
                return true;
            }
        }

        private boolean count(byte[] input, int max) throws DataFormatException {
            inflater.setInput(input);
            while (!inflater.needsInput()) {
                int n = inflater.inflate(scratch);
                inflated += n;
                if (inflated > max) {
                    return false;
                }
                if (n == 0 && (inflater.finished() || inflater.needsDictionary())) {
                    return true;
                }
            }
            return true;
        }
    }
}
