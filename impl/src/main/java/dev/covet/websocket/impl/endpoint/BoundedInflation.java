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
    private final Handles tyrusApi;

    private BoundedInflation(Extension tyrus, int maxMessageBytes, Handles tyrusApi) {
        this.tyrus = tyrus;
        this.maxMessageBytes = maxMessageBytes;
        this.tyrusApi = tyrusApi;
    }

    /** Tyrus's frame and context methods, looked up once per deployment instead of per frame. */
    private record Handles(Method isControlFrame, Method getProperties, Method getOpcode, Method isFin,
                           Method isRsv1, Method getPayloadData, Method builder, Method rsv1, Method payloadData,
                           Method payloadLength, Method build) {

        static Handles of(ClassLoader loader) throws ReflectiveOperationException {
            Class<?> frame = Class.forName(FRAME, false, loader);
            Class<?> context = Class.forName(EXTENDED + "$ExtensionContext", false, loader);
            Class<?> builder = Class.forName(FRAME + "$Builder", false, loader);
            return new Handles(frame.getMethod("isControlFrame"), context.getMethod("getProperties"),
                    frame.getMethod("getOpcode"), frame.getMethod("isFin"), frame.getMethod("isRsv1"),
                    frame.getMethod("getPayloadData"), frame.getMethod("builder", frame),
                    builder.getMethod("rsv1", boolean.class), builder.getMethod("payloadData", byte[].class),
                    builder.getMethod("payloadLength", long.class), builder.getMethod("build"));
        }
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
            ClassLoader loader = tyrus.getClass().getClassLoader();
            Class<?> extended = Class.forName(EXTENDED, false, loader);
            return (Extension) Proxy.newProxyInstance(loader, new Class<?>[] {extended},
                    new BoundedInflation(tyrus, maxMessageBytes, Handles.of(loader)));
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
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
        Handles api = tyrusApi;
        if ((boolean) api.isControlFrame().invoke(frame)) {
            return frame;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) api.getProperties().invoke(context);
        Shadow shadow = (Shadow) properties.computeIfAbsent(STATE, key -> new Shadow());
        byte opcode = (byte) api.getOpcode().invoke(frame);
        boolean fin = (boolean) api.isFin().invoke(frame);
        if (opcode != 0) {
            shadow.compressedMessage = (boolean) api.isRsv1().invoke(frame);
            shadow.inflated = 0;
        }
        if (!shadow.compressedMessage || shadow.broken) {
            return frame;
        }
        if (!shadow.fits((byte[]) api.getPayloadData().invoke(frame), fin, maxMessageBytes)) {
            Object builder = api.builder().invoke(null, frame);
            api.rsv1().invoke(builder, false);
            api.payloadData().invoke(builder, (Object) new byte[maxMessageBytes + 1]);
            api.payloadLength().invoke(builder, maxMessageBytes + 1L);
            return api.build().invoke(builder);
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
