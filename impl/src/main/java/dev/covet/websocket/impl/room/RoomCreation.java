package dev.covet.websocket.impl.room;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.event.Event;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomCreated;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.spi.RoomStore;

/**
 * Creating rooms, in one place for both ways a room comes to be: explicitly (server code, or a wire command
 * under the per-owner quota) and by default, when a join finds no room. Each new room gets a fresh epoch, so a
 * client recovering with offsets of an earlier room of the same name is told its history restarted.
 */
final class RoomCreation {

    private final RoomStore store;
    private final TemporaryRooms temporary;
    private final Event<Object> events;
    private final Supplier<CovetConfig> config;

    RoomCreation(RoomStore store, TemporaryRooms temporary, Event<Object> events, Supplier<CovetConfig> config) {
        this.store = store;
        this.temporary = temporary;
        this.events = events;
        this.config = config;
    }

    /**
     * Creates a room, unless it exists or its owner already owns {@code maxPerOwner} rooms.
     *
     * @param room the name
     * @param roomConfig its configuration
     * @param owner the owner, or null
     * @param maxPerOwner the most rooms the owner may own
     * @return the new room as stored
     * @throws RoomException {@code conflict} when it exists, the owner owns too many or the store is full
     */
    RoomStore.StoredRoom create(String room, RoomConfig roomConfig, String owner, int maxPerOwner) {
        RoomNames.check(room);
        RoomStore.StoredRoom stored = new RoomStore.StoredRoom(room, roomConfig, owner, newEpoch());
        switch (store.create(stored, maxPerOwner)) {
            case EXISTS -> throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' exists");
            case OWNER_LIMIT -> throw new RoomException(ErrorCode.CONFLICT, "Owns too many rooms (at most "
                    + maxPerOwner + ")");
            case STORE_LIMIT -> throw new RoomException(ErrorCode.CONFLICT, "Too many rooms on this server");
            default -> {
            }
        }
        if (owner != null) {
            store.role(room, owner, RoomRole.OWNER);
        }
        if (roomConfig.type() == RoomType.TEMPORARY) {
            temporary.empty(room);
        }
        events.select(RoomCreated.class).fire(new RoomCreated(room, roomConfig, owner));
        return stored;
    }

    /**
     * Creates a temporary room with the configured defaults, unless one exists (another join may create it at
     * the same moment, here or on another node).
     *
     * @param room the name, already checked
     * @throws RoomException {@code conflict} when the store holds as many rooms as it may
     */
    void createDefault(String room) {
        CovetConfig settings = config.get();
        RoomConfig defaults = RoomConfig.of(RoomType.TEMPORARY, settings.get(Settings.ROOMS_MAX_MEMBERS),
                settings.get(Settings.ROOMS_HISTORY_SIZE));
        RoomStore.Created created = store.create(new RoomStore.StoredRoom(room, defaults, null, newEpoch()),
                Integer.MAX_VALUE);
        if (created == RoomStore.Created.STORE_LIMIT) {
            throw new RoomException(ErrorCode.CONFLICT, "Too many rooms on this server");
        }
        if (created == RoomStore.Created.CREATED) {
            temporary.empty(room);
            events.select(RoomCreated.class).fire(new RoomCreated(room, defaults, null));
        }
    }

    private static String newEpoch() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
