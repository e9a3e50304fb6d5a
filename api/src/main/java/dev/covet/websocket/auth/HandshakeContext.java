package dev.covet.websocket.auth;

import java.security.Principal;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link HandshakeCheck} may look at: the upgrade request's headers, query parameters and cookies, and
 * the user the container itself authenticated (form login, OIDC), without depending on a container's types.
 */
public interface HandshakeContext {

    /**
     * Every value of a header.
     *
     * @param name the header name, in any case
     * @return the values, empty when absent
     */
    List<String> headers(String name);

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the value, or empty
     */
    default Optional<String> header(String name) {
        return headers(name).stream().findFirst();
    }

    /**
     * The first value of a query parameter.
     *
     * @param name the parameter name
     * @return the value, or empty
     */
    Optional<String> queryParameter(String name);

    /**
     * A cookie sent with the upgrade request.
     *
     * @param name the cookie name
     * @return its value, or empty
     */
    Optional<String> cookie(String name);

    /**
     * The user the container authenticated for this request (its {@code HttpServletRequest#getUserPrincipal}).
     *
     * @return the principal, or empty when the container authenticated nobody
     */
    Optional<Principal> containerPrincipal();
}
