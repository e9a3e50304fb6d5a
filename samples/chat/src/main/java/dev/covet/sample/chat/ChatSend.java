package dev.covet.sample.chat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code chat.send}: a message for one room.
 *
 * @param room the room, which the sender must have joined
 * @param text the text, 1 to 2000 characters
 */
public record ChatSend(@NotBlank @Size(max = 128) String room, @NotBlank @Size(max = 2000) String text) {
}
