package dev.covet.websocket.impl.endpoint;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.auth.HandshakeAuthenticator;
import dev.covet.websocket.impl.auth.RequestContext;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.TimeSource;

/**
 * The handshake: Origin allowlist, credentials to principal, and endpoint instances from CDI.
 *
 * <p>{@code HandshakeResponse} cannot set a status portably, so a refusal other than the container's own
 * Origin check (403) is carried to {@link CovetEndpoint#onOpen}, which closes with 1008 (or 1013 for a full
 * connection limit) before any user code sees the connection. The per-connection user properties (a copy per
 * handshake since WebSocket 2.1) carry it.
 */
final class CovetConfigurator extends ServerEndpointConfig.Configurator {

    /**
     * The filter's decision for the upgrade running on this thread. Containers call {@link #modifyHandshake}
     * inside {@code upgradeHttpToWebSocket}; Undertow hands it a config without the user properties the filter
     * set, so the decision also travels this way.
     */
    static final ThreadLocal<Handshake> PENDING = new ThreadLocal<>();

    private final OriginPolicy origins;
    private final HandshakeAuthenticator authenticator;
    private volatile Instance<CovetEndpoint> endpoints;
    private volatile Counters counters;
    private volatile Installation installation;
    private volatile Admission admission;

    CovetConfigurator(OriginPolicy origins, HandshakeAuthenticator authenticator) {
        this.origins = origins;
        this.authenticator = authenticator;
    }

    /**
     * Always true: the Origin is decided with the Host header in {@link #modifyHandshake} (or by the servlet
     * filter), which refuses with a documented code. A container's own refusal here is not portable (standalone
     * Tyrus leaves the client waiting).
     */
    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return true;
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        Handshake pending = PENDING.get();
        if (pending != null) {
            sec.getUserProperties().put(Handshake.KEY, pending);
        }
        // Only the per-request config the filter builds carries its decision, never a shared one, so a container
        // that shared user properties across handshakes could not let one connection's outcome stand for another's.
        if (sec.getUserProperties().get(Handshake.KEY) instanceof Handshake decided && decided.byFilter()) {
            return;
        }
        Map<String, List<String>> headers = request.getHeaders();
        String origin = header(headers, "Origin").orElse(null);
        URI uri = request.getRequestURI();
        boolean secure = uri != null && ("wss".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(
                uri.getScheme()));
        AuthOutcome outcome = origins.admits(origin, values(headers, "Host"), secure)
                ? authenticator.authenticate(new RequestContext(headers, request.getParameterMap(),
                        request.getUserPrincipal(), request::isUserInRole))
                : AuthOutcome.foreignOrigin();
        Handshake checked = Handshake.checked(outcome, allValues(headers, "Forwarded"),
                allValues(headers, "X-Forwarded-For"));
        sec.getUserProperties().put(Handshake.KEY, outcome.isRefused() ? checked : reserve(checked, request));
    }

    /**
     * Takes the connection's slots now, in handshake order, as the servlet filter does before its upgrade; the
     * open claims them or closes with the refusal. Taken at open instead, a later handshake could take the slot of
     * an earlier one whose open was slower (on a cold start, by a second), and the client that had connected first
     * was refused after its handshake had succeeded. Where the container does not say the peer here, the open
     * admits as before.
     */
    private Handshake reserve(Handshake checked, HandshakeRequest request) {
        InetSocketAddress peer = RemoteAddresses.of(request);
        if (peer == null) {
            return checked;
        }
        InetSocketAddress client = ClientAddress.resolve(peer, checked.forwarded(), checked.xForwardedFor(),
                installation.config().get(Settings.TRUSTED_PROXIES));
        String user = checked.outcome().principal().map(Principal::getName).orElse(null);
        return checked.reserved(client, admission.registry().reserve(ClientAddress.ip(client), user,
                admission.time().nanoTime()).orElse(null));
    }

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        if (endpointClass != CovetEndpoint.class) {
            throw new IllegalArgumentException("Unexpected endpoint class " + endpointClass.getName());
        }
        CovetEndpoint endpoint = endpoints().get();
        endpoint.bind(installation);
        counters().endpoints(1);
        return endpointClass.cast(endpoint);
    }

    /**
     * Sets the deployment whose endpoints this configurator creates; called once, before registration, where
     * {@code CDI.current()} is the deployment's own.
     */
    void bind(Installation deployment) {
        admission = new Admission(CDI.current().select(ConnectionRegistry.class).get(),
                CDI.current().select(TimeSource.class).get());
        installation = deployment;
    }

    /** Destroys a {@code @Dependent} endpoint instance when its connection ends. */
    void release(CovetEndpoint endpoint) {
        endpoints().destroy(endpoint);
        counters().endpoints(-1);
    }

    /**
     * The statistics, looked up once. Endpoints are counted here, where CDI creates and destroys them, rather than
     * with {@code @PostConstruct}/{@code @PreDestroy} on the endpoint: a destroy callback makes the container keep
     * a creational context per connection (measured: about 200 bytes each).
     */
    private Counters counters() {
        Counters current = counters;
        if (current == null) {
            current = CDI.current().select(Counters.class).get();
            counters = current;
        }
        return current;
    }

    private Instance<CovetEndpoint> endpoints() {
        Instance<CovetEndpoint> current = endpoints;
        if (current == null) {
            current = CDI.current().select(CovetEndpoint.class);
            endpoints = current;
        }
        return current;
    }

    /** What taking the connection limits at the handshake needs. */
    private record Admission(ConnectionRegistry registry, TimeSource time) {
    }

    private static Optional<String> header(Map<String, List<String>> headers, String name) {
        List<String> values = values(headers, name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** A list header's values joined in order: containers differ in whether they split on commas. */
    private static String allValues(Map<String, List<String>> headers, String name) {
        return String.join(", ", values(headers, name));
    }

    private static List<String> values(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        if (values == null) {
            values = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(List.of());
        }
        return values;
    }
}
