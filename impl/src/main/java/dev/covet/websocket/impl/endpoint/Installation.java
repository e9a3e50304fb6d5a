package dev.covet.websocket.impl.endpoint;

import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.covet.websocket.impl.auth.HandshakeAuthenticator;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.OutboundLimits;

/**
 * Everything one deployment decided at startup, handed to every endpoint instance by the configurator that
 * creates it (not through the config's user properties: Undertow gives each connection a config without them).
 *
 * @param config the validated configuration
 * @param configurator the configurator, which owns endpoint instances
 * @param origins the Origin policy
 * @param authenticator the handshake authenticator
 * @param extensions the extensions to list (the container's own permessage-deflate where it needs naming)
 * @param limits every connection's outbound queue bounds, shared
 */
record Installation(CovetConfig config, CovetConfigurator configurator, OriginPolicy origins,
                    HandshakeAuthenticator authenticator, List<Extension> extensions, OutboundLimits limits) {

    /**
     * The endpoint config at {@code covet.path}, its user properties holding, for an upgrade already decided by
     * the servlet filter, that decision.
     *
     * @param decided the servlet filter's decision to carry into the connection, or null for the container-driven
     *     path
     * @return a new config
     */
    ServerEndpointConfig endpointConfig(Handshake decided) {
        ServerEndpointConfig endpoint = ServerEndpointConfig.Builder
                .create(CovetEndpoint.class, config.get(Settings.PATH))
                .configurator(configurator)
                .extensions(extensions)
                .subprotocols(List.of(config.get(Settings.AUTH_SUBPROTOCOL)))
                .build();
        if (decided != null) {
            endpoint.getUserProperties().put(Handshake.KEY, decided);
        }
        return endpoint;
    }
}
