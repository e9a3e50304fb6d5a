package dev.covet.benchmarks;

/**
 * The fan-out driver's command: broadcast {@code count} messages of {@code size} characters to the room.
 *
 * @param room the room
 * @param count how many broadcasts
 * @param size characters of text per message
 */
public record FanoutGo(String room, int count, int size) {
}
