package dev.covet.websocket.impl.auth;

import java.time.Instant;

/**
 * A verified credential: who, with which roles, until when.
 *
 * @param principal the user and roles
 * @param expiresAt when the credential expires, or null for never
 */
record Identity(UserPrincipal principal, Instant expiresAt) {
}
