package dev.covet.websocket.impl.endpoint;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The Origin allowlist: exact, case-insensitive match of {@code scheme://host[:port]}, plus the request's own
 * host when same-origin is enabled. A request without Origin (a non-browser client) is admitted: browsers always
 * send it on WebSocket handshakes, which is what cross-site WebSocket hijacking needs.
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

    /** The full check, with the request's {@code Host} header values. */
    boolean admits(String origin, List<String> hosts) {
        if (origin == null) {
            return missingAllowed;
        }
        if (allowed.contains(normalize(origin))) {
            return true;
        }
        if (!sameOrigin || hosts == null || hosts.isEmpty()) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String authority = (uri.getHost() + ":" + port).toLowerCase(Locale.ROOT);
            String host = hosts.get(0).trim().toLowerCase(Locale.ROOT);
            String hostWithPort = host.contains(":") && !host.endsWith("]") ? host : host + ":" + port;
            return authority.equals(hostWithPort);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalize(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
