package dev.covet.websocket.impl.auth;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.covet.websocket.auth.HandshakeContext;

/**
 * A {@link HandshakeContext} over maps, built from the servlet request (the upgrade filter) or the WebSocket
 * {@code HandshakeRequest} (the configurator), so both paths authenticate the same way.
 *
 * @param headerMap request headers; names in any case
 * @param parameters query parameters
 * @param principal the container-authenticated user, or null
 * @param inRole the container's role test for that user
 */
public record RequestContext(Map<String, List<String>> headerMap, Map<String, List<String>> parameters,
                             Principal principal, Predicate<String> inRole) implements HandshakeContext {

    @Override
    public List<String> headers(String name) {
        return headerMap.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .flatMap(e -> e.getValue().stream()).toList();
    }

    @Override
    public Optional<String> queryParameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    @Override
    public Optional<String> cookie(String name) {
        for (String header : headers("Cookie")) {
            for (String pair : header.split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).trim().equals(name)) {
                    String value = pair.substring(equals + 1).trim();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<Principal> containerPrincipal() {
        return Optional.ofNullable(principal);
    }

    /**
     * Asks the container whether its authenticated user has a role.
     *
     * @param role the role name
     * @return whether the user has it (false without a container principal)
     */
    boolean isUserInRole(String role) {
        return principal != null && inRole.test(role);
    }
}
