package dev.covet.websocket.impl.endpoint;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The Origin allowlist: exact, case-insensitive match of {@code scheme://host[:port]}, plus the request's own origin
 * when same-origin is enabled: same scheme as the request ({@code https} for a TLS request), same host, same port, a
 * missing port being the scheme's default. A request without Origin (a non-browser client) is admitted: browsers
 * always send it on WebSocket handshakes, which is what cross-site WebSocket hijacking needs.
 */
final class OriginPolicy {

    private final Set<String> allowed;
    private final boolean sameOrigin;
    private final boolean missingAllowed;

    OriginPolicy(CovetConfig config) {
        this.missingAllowed = config.get(Settings.ORIGIN_MISSING).equals("allow");
        this.allowed = config.get(Settings.ALLOWED_ORIGINS).stream().map(OriginPolicy::normalize)
                .collect(Collectors.toUnmodifiableSet());
        this.sameOrigin = config.get(Settings.SAME_ORIGIN);
    }

    /**
     * The full check.
     *
     * @param origin the {@code Origin} header, or null
     * @param hosts the request's {@code Host} header values
     * @param secure whether the request came over TLS ({@code https}/{@code wss}), as the server or a trusted
     *     proxy says
     * @return whether the origin is admitted
     */
    boolean admits(String origin, List<String> hosts, boolean secure) {
        if (origin == null) {
            return missingAllowed;
        }
        if (allowed.contains(normalize(origin))) {
            return true;
        }
        if (!sameOrigin || hosts == null || hosts.size() != 1) {
            return false;
        }
        try {
            URI page = URI.create(origin.trim());
            String scheme = page.getScheme() == null ? "" : page.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals(secure ? "https" : "http") || page.getHost() == null || page.getRawPath() != null
                    && !page.getRawPath().isEmpty() || page.getUserInfo() != null) {
                return false;
            }
            int defaultPort = secure ? 443 : 80;
            URI request = URI.create(scheme + "://" + hosts.get(0).trim());
            if (request.getHost() == null || request.getUserInfo() != null || request.getRawPath() != null
                    && !request.getRawPath().isEmpty()) {
                return false;
            }
            int originPort = page.getPort() == -1 ? defaultPort : page.getPort();
            int hostPort = request.getPort() == -1 ? defaultPort : request.getPort();
            return page.getHost().equalsIgnoreCase(request.getHost()) && originPort == hostPort;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
