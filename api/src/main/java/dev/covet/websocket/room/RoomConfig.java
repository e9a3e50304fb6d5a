package dev.covet.websocket.room;

import java.util.Map;
import java.util.Objects;

/**
 * How a room behaves, fixed at creation: who may join, how many, how much history is kept, who may post, and
 * free-form metadata for the UI (topic, icon).
 *
 * @param type who may join
 * @param maxMembers most users present at once, at least 1
 * @param historySize room messages kept for {@code $history} and recovery, 0 to disable
 * @param postPolicy the least role that may post
 * @param metadata string metadata shown by {@code $room.info}
 */
public record RoomConfig(RoomType type, int maxMembers, int historySize, RoomRole postPolicy,
                         Map<String, String> metadata) {

    /** Validates and copies. */
    public RoomConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(postPolicy, "postPolicy");
        if (maxMembers < 1) {
            throw new IllegalArgumentException("maxMembers must be at least 1");
        }
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must not be negative");
        }
        metadata = Map.copyOf(metadata == null ? Map.of() : metadata);
    }

    /**
     * A room of the given type with the deployment's defaults for the rest.
     *
     * @param type who may join
     * @param maxMembers most users present
     * @param historySize messages kept
     * @return the config, posting allowed from {@link RoomRole#MEMBER} up
     */
    public static RoomConfig of(RoomType type, int maxMembers, int historySize) {
        return new RoomConfig(type, maxMembers, historySize, RoomRole.MEMBER, Map.of());
    }
}
