package dev.covet.sample.chat;

/**
 * {@code chat.typing}, {@code chat.joined} and {@code chat.left}: who did something in which room.
 *
 * @param room the room
 * @param user the user name
 */
public record Notice(String room, String user) {
}
