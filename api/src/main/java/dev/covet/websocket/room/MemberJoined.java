package dev.covet.websocket.room;

import dev.covet.websocket.Connection;

/**
 * Fired synchronously, after the room's lock is released, for every connection that joins a room: one family of
 * join events, per user with the connection as detail. Presence is per user, so an observer that announces
 * "alice joined" acts only on {@link #firstConnection()}; one that tracks tabs acts on every event.
 *
 * <pre>{@code
 * void joined(@Observes MemberJoined joined) {
 *     if (joined.firstConnection()) {
 *         rooms.push(joined.room(), "chat.joined", new Notice(joined.room(), joined.user()));
 *     }
 * }
 * }</pre>
 *
 * @param room the room name
 * @param user the user name ({@code ~<connection id>} for an anonymous connection)
 * @param role their role in the room
 * @param connection the connection that joined
 * @param firstConnection whether the user became present with it (no other connection of theirs was there)
 */
public record MemberJoined(String room, String user, RoomRole role, Connection connection, boolean firstConnection) {
}
