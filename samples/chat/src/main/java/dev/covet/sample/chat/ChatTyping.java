package dev.covet.sample.chat;

import jakarta.validation.constraints.NotBlank;

/**
 * {@code chat.typing}: the sender is typing in a room.
 *
 * @param room the room
 */
public record ChatTyping(@NotBlank String room) {
}
