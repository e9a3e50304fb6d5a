package dev.covet.sample.chat;

/**
 * {@code chat.message}: what every member of the room receives.
 *
 * @param room the room
 * @param from the sender's user name
 * @param text the text
 * @param ts the server time, in epoch milliseconds
 */
public record ChatMessage(String room, String from, String text, long ts) {
}
