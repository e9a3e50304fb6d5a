package dev.covet.websocket.auth;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, after authentication, whether a verified user may connect at all: a blocked account, a tenant whose
 * plan has no real-time access, a role every connection needs. {@link HandshakeCheck}s run before credentials are
 * verified and cannot see the user; this check sees the principal and roles the chain settled on.
 *
 * <p>Any CDI bean implementing it is called for every handshake the chain admitted (authenticated or
 * anonymous), and again when a pending connection authenticates with {@code $auth} (then the context carries no
 * headers), in ascending {@code @jakarta.annotation.Priority} order (no priority counts as 1000). The first
 * {@linkplain Authorization#forbid forbid} refuses with HTTP 403 (close {@code 1008} without a servlet layer;
 * {@code forbidden} and close {@code 1008} for {@code $auth}). Called on the container's threads: keep it quick and
 * thread-safe.
 *
 * <pre>{@code
 * @ApplicationScoped
 * public class BlockedUsers implements AuthorizationCheck {
 *     @Inject AccountService accounts;
 *     public Authorization authorize(HandshakeContext handshake, Optional<Principal> user, Set<String> roles) {
 *         return user.filter(u -> accounts.isBlocked(u.getName())).isPresent()
 *                 ? Authorization.forbid("account blocked") : Authorization.permit();
 *     }
 * }
 * }</pre>
 */
public interface AuthorizationCheck {

    /**
     * Looks at one verified connection.
     *
     * @param handshake the request's metadata (headers, parameters); empty for {@code $auth}
     * @param user the verified principal, or empty for an anonymous connection
     * @param roles the principal's roles, empty when none
     * @return the decision, never null
     */
    Authorization authorize(HandshakeContext handshake, Optional<Principal> user, Set<String> roles);
}
