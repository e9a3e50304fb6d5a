package dev.covet.websocket.impl;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The payload of most test events; public because JSON-B creates it reflectively.
 *
 * @param text required text
 * @param tag an optional tag of at most 5 characters
 */
public record Note(@NotBlank String text, @Size(max = 5) String tag) {
}
