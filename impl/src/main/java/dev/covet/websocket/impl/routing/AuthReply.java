package dev.covet.websocket.impl.routing;

/**
 * The reply to {@code $auth} and {@code $auth.refresh}.
 *
 * @param user the authenticated user
 * @param expiresAt when the credentials expire, in seconds since the epoch, or null for never
 */
public record AuthReply(String user, Long expiresAt) {
}
