package dev.covet.websocket.impl.endpoint;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;

import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.auth.RequestContext;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.TimeSource;

/**
 * In servlet containers, the handshake: checks Origin (403), credentials (401) and connection limits (429, or
 * 503 while shutting down) before anything is upgraded, then upgrades with
 * {@link ServerContainer#upgradeHttpToWebSocket}, carrying its decision into the connection.
 *
 * <p>No endpoint is registered at {@code covet.path} in a servlet container: the container's own upgrade
 * filter runs before any filter an application or library adds, so it would upgrade first and leave only close
 * codes for refusals. Requests without {@code Upgrade: websocket} pass through untouched.
 */
final class UpgradeFilter implements Filter {

    private static final System.Logger LOG = System.getLogger(UpgradeFilter.class.getName());

    private volatile Installation installation;
    private volatile ServerContainer container;
    private volatile Counters counters;
    private volatile ConnectionRegistry registry;
    private volatile TimeSource time;

    /** Starts upgrading; until then upgrade requests are answered 503. CDI must be running. */
    void activate(Installation ready, ServerContainer serverContainer) {
        this.container = serverContainer;
        this.counters = CDI.current().select(Counters.class).get();
        this.registry = CDI.current().select(ConnectionRegistry.class).get();
        this.time = CDI.current().select(TimeSource.class).get();
        this.installation = ready;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse reply = (HttpServletResponse) response;
        if (!"websocket".equalsIgnoreCase(http.getHeader("Upgrade"))) {
            chain.doFilter(request, response);
            return;
        }
        Installation ready = installation;
        if (ready == null) {
            refuse(reply, HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        Handshake decided = decide(http, reply, ready);
        if (decided == null) {
            return;
        }
        boolean upgraded = false;
        CovetConfigurator.PENDING.set(decided);
        try {
            container.upgradeHttpToWebSocket(http, reply, ready.endpointConfig(decided), Map.of());
            upgraded = true;
        } catch (DeploymentException e) {
            LOG.log(System.Logger.Level.ERROR, "Upgrading a WebSocket request failed", e);
            refuse(reply, HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
        } finally {
            CovetConfigurator.PENDING.remove();
            if (!upgraded) {
                registry.cancelReservation(ClientAddress.ip(decided.client()), decided.outcome().principal()
                        .map(Principal::getName).orElse(null));
            }
        }
    }

    /** @return the decision for the connection, or null after answering with a refusal */
    private Handshake decide(HttpServletRequest http, HttpServletResponse reply, Installation ready)
            throws IOException {
        InetSocketAddress peer = ClientAddress.peer(http.getRemoteAddr(), http.getRemotePort());
        Set<String> trusted = ready.config().get(Settings.TRUSTED_PROXIES);
        boolean secure = ClientAddress.secure(http.isSecure(), peer, joined(http, "Forwarded"),
                joined(http, "X-Forwarded-Proto"), trusted);
        if (!ready.origins().admits(http.getHeader("Origin"), Collections.list(http.getHeaders("Host")), secure)) {
            counters.refused("origin");
            refuse(reply, HttpServletResponse.SC_FORBIDDEN);
            return null;
        }
        AuthOutcome auth = ready.authenticator().authenticate(new RequestContext(headers(http), parameters(http),
                http.getUserPrincipal(), http::isUserInRole));
        if (auth.isRefused()) {
            AuthOutcome.Refusal kind = auth.refusalKind().orElseThrow();
            counters.refused(kind.statsKey());
            auth.challenge().ifPresent(challenge -> reply.setHeader("WWW-Authenticate", challenge));
            refuse(reply, kind.status());
            return null;
        }
        InetSocketAddress client = ClientAddress.resolve(peer, joined(http, "Forwarded"),
                joined(http, "X-Forwarded-For"), trusted);
        String ip = ClientAddress.ip(client);
        String user = auth.principal().map(Principal::getName).orElse(null);
        Optional<String> over = registry.reserve(ip, user, time.nanoTime());
        if (over.isPresent()) {
            counters.refused(over.get());
            boolean closing = over.get().equals("shutting-down");
            reply.setHeader("Retry-After", "1");
            refuse(reply, closing ? HttpServletResponse.SC_SERVICE_UNAVAILABLE : 429);
            return null;
        }
        return Handshake.decided(auth, client);
    }

    /**
     * A refusal as a bare status: no body, so that no container's error page echoes the request URL (which may
     * carry an {@code access_token}).
     */
    private static void refuse(HttpServletResponse reply, int status) throws IOException {
        reply.setStatus(status);
        reply.setContentLength(0);
        reply.flushBuffer();
    }

    private static Map<String, List<String>> headers(HttpServletRequest http) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : Collections.list(http.getHeaderNames())) {
            headers.put(name, Collections.list(http.getHeaders(name)));
        }
        return headers;
    }

    private static Map<String, List<String>> parameters(HttpServletRequest http) {
        Map<String, List<String>> parameters = new HashMap<>();
        http.getParameterMap().forEach((name, values) -> parameters.put(name, Arrays.asList(values)));
        return parameters;
    }

    private static String joined(HttpServletRequest http, String header) {
        List<String> values = Collections.list(http.getHeaders(header));
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
