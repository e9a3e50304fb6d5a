package dev.covet.benchmarks;

import jakarta.validation.constraints.NotBlank;

/**
 * The benchmark's message body: a text and a counter, about 95 bytes with its envelope.
 *
 * @param text the text
 * @param n a number
 */
public record EchoPayload(@NotBlank String text, long n) {
}
