package dev.covet.websocket.impl.connection;

import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;

/**
 * The bounds of each connection's outbound queue and what happens when they are reached.
 *
 * @param maxMessages frames queued at most
 * @param maxBytes characters (text) plus bytes (binary) queued at most
 * @param dropOldest whether to drop the oldest queued broadcasts to make room instead of closing at once
 * @param batching whether queued frames may be written together where the container can flush without blocking
 * @param sendTimeout how long one write may wait for the peer before the container fails it
 */
public record OutboundLimits(int maxMessages, long maxBytes, boolean dropOldest, boolean batching,
                             java.time.Duration sendTimeout) {

    /** @return the limits configured for this deployment */
    public static OutboundLimits of(CovetConfig config) {
        return new OutboundLimits(config.get(Settings.OUTBOUND_MAX_MESSAGES), config.get(Settings.OUTBOUND_MAX_BYTES),
                "drop-oldest".equals(config.get(Settings.OUTBOUND_OVERFLOW)),
                "auto".equals(config.get(Settings.OUTBOUND_BATCHING)), config.get(Settings.OUTBOUND_SEND_TIMEOUT));
    }
}
