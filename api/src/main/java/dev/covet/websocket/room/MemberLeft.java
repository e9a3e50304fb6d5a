package dev.covet.websocket.room;

import dev.covet.websocket.Connection;

/**
 * Fired synchronously, after the room's lock is released, for every connection that stops being a member of a
 * room, with the reason: it left, was kicked or banned, disconnected, or the room was deleted. An observer that
 * announces "alice left" acts only on {@link #lastConnection()}, when the user is no longer present.
 *
 * @param room the room name
 * @param user the user name ({@code ~<connection id>} for an anonymous connection)
 * @param reason why
 * @param connection the connection that left, or null when the user's node was lost (in a cluster, the node that
 *     finds a node lost fires this once per user that is no longer present, with {@code lastConnection} true)
 * @param lastConnection whether the user is no longer present (no other connection of theirs is there)
 */
public record MemberLeft(String room, String user, LeaveReason reason, Connection connection,
                         boolean lastConnection) {
}
