package dev.covet.sample.chat;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.covet.websocket.auth.Authorization;
import dev.covet.websocket.auth.AuthorizationCheck;
import dev.covet.websocket.auth.HandshakeContext;

/**
 * An example of a check after authentication: a real application would ask its account store; the sample
 * suspends the user named {@code suspended}, whose valid token is then refused with HTTP 403.
 */
@ApplicationScoped
public class SuspendedAccounts implements AuthorizationCheck {

    /** The one suspended account of the sample. */
    static final String SUSPENDED = "suspended";

    @Override
    public Authorization authorize(HandshakeContext handshake, Optional<Principal> user, Set<String> roles) {
        return user.map(Principal::getName).filter(SUSPENDED::equals).isPresent()
                ? Authorization.forbid("account suspended") : Authorization.permit();
    }
}
