package dev.covet.websocket.impl.routing;

/**
 * The reply to {@code $room.join} and {@code $room.leave}.
 *
 * @param room the room name
 * @param members the number of members after the change
 */
public record RoomReply(String room, int members) {
}
