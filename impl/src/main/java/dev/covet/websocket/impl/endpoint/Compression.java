package dev.covet.websocket.impl.endpoint;

import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;

/**
 * Enables the container's own permessage-deflate where the container needs the extension named.
 *
 * <p>Jetty and Tomcat negotiate it by default. Undertow (WildFly) negotiates only extensions that are both listed
 * in the endpoint config and enabled in the server ({@code per-message-deflate} in its websockets setting), so
 * there the name is listed and Undertow answers with its own handshake. Tyrus (and Payara, which embeds it) negotiates it only when its
 * {@code PerMessageDeflateExtension} is listed in the endpoint config; it is found by reflection so Tyrus is never
 * needed at compile time; it is wrapped by {@link BoundedInflation} so the message size limit holds while
 * inflating. Anywhere else a generic {@link Extension} merely named permessage-deflate is never listed: Tyrus,
 * Payara and Liberty echo it without compressing and with an invalid header.
 */
final class Compression {

    private static final System.Logger LOG = System.getLogger(Compression.class.getName());
    private static final String TYRUS_DEFLATE = "org.glassfish.tyrus.ext.extension.deflate.PerMessageDeflateExtension";

    private Compression() {
    }

    /** @return whether the container is Tyrus (standalone, or inside Payara or GlassFish) */
    static boolean isTyrus(ServerContainer container) {
        return container.getClass().getName().startsWith("org.glassfish.tyrus");
    }

    static List<Extension> extensionsFor(ServerContainer container, int maxMessageBytes) {
        if (container.getClass().getName().startsWith("io.undertow")) {
            return List.of(Named.PERMESSAGE_DEFLATE);
        }
        if (!isTyrus(container)) {
            return List.of();
        }
        for (ClassLoader loader : List.of(Thread.currentThread().getContextClassLoader(),
                Compression.class.getClassLoader())) {
            try {
                Class<?> type = Class.forName(TYRUS_DEFLATE, true, loader);
                return List.of(BoundedInflation.wrap((Extension) type.getConstructor().newInstance(), maxMessageBytes));
            } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
                LOG.log(System.Logger.Level.TRACE, "Tyrus deflate not loadable from {0}", loader);
            }
        }
        LOG.log(System.Logger.Level.INFO, "Tyrus without tyrus-extension-deflate: connections are not compressed");
        return List.of();
    }

    /** An extension by name only, for containers that match listed names against their own implementations. */
    private enum Named implements Extension {
        PERMESSAGE_DEFLATE;

        @Override
        public String getName() {
            return "permessage-deflate";
        }

        @Override
        public List<Parameter> getParameters() {
            return List.of();
        }
    }
}
