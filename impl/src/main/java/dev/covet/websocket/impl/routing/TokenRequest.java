package dev.covet.websocket.impl.routing;

/**
 * The data of {@code $auth} and {@code $auth.refresh}.
 *
 * @param token the bearer token
 */
public record TokenRequest(String token) {
}
