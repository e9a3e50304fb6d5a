package dev.covet.websocket.room;

/**
 * A snapshot of a room for UIs and server code: its configuration, owner, history position and presence.
 *
 * @param room the name
 * @param config the configuration
 * @param owner the owner's user name, or null for a server-owned room
 * @param epoch changes whenever the room is created anew: offsets from another epoch are meaningless
 * @param offset the offset of the last room message, 0 before the first
 * @param users users present now (on this node)
 */
public record RoomInfo(String room, RoomConfig config, String owner, String epoch, long offset, int users) {
}
