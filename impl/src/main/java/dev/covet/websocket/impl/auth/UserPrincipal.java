package dev.covet.websocket.impl.auth;

import java.security.Principal;
import java.util.Set;

/**
 * The principal a verified credential yields: the user's name (JWT {@code sub}) and roles.
 *
 * @param name the user name, never null
 * @param roles the roles, never null
 */
public record UserPrincipal(String name, Set<String> roles) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
