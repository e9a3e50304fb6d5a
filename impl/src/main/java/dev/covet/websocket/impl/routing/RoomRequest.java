package dev.covet.websocket.impl.routing;

/**
 * The {@code data} of {@code $room.join} and {@code $room.leave}.
 *
 * @param room the room name
 */
public record RoomRequest(String room) {
}
