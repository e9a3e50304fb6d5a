package dev.covet.websocket.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;

import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomRole;

/**
 * Where room state lives: configuration, roles, invitations, bans, mutes and history with offsets. The library's
 * in-memory store is the default; a CDI bean implementing this interface with a higher
 * {@code @Alternative @Priority} replaces it (for example a Redis store, so that several nodes share rooms) without
 * touching anything else. Which connections are present stays on each node.
 *
 * <p>Implementations must be thread-safe; {@link #append} must assign offsets atomically per room.
 */
public interface RoomStore {

    /**
     * A stored room.
     *
     * @param room the name
     * @param config its configuration
     * @param owner the owner's user name, or null
     * @param epoch a value unique to this creation of the room
     */
    record StoredRoom(String room, RoomConfig config, String owner, String epoch) {
    }

    /**
     * Messages after an offset, or the fact that some are gone.
     *
     * @param epoch the room's epoch
     * @param offset the room's last offset
     * @param complete whether every message after the requested offset is still kept
     * @param frames the kept frames after the requested offset, oldest first
     */
    record History(String epoch, long offset, boolean complete, List<String> frames) {
    }

    /**
     * Creates a room.
     *
     * @param room the stored room
     * @return false when a room of that name exists
     */
    boolean create(StoredRoom room);

    /**
     * @param room the name
     * @return the room, or empty
     */
    Optional<StoredRoom> room(String room);

    /** @return the names of all rooms */
    Set<String> rooms();

    /**
     * Deletes a room and everything stored for it.
     *
     * @param room the name
     * @return false when there was no such room
     */
    boolean delete(String room);

    /**
     * @param room the room
     * @param user the user
     * @return the role assigned to the user in the room, or empty
     */
    Optional<RoomRole> role(String room, String user);

    /**
     * @param room the room
     * @return every assigned role, by user
     */
    Map<String, RoomRole> roles(String room);

    /**
     * Assigns a role, or removes the assignment.
     *
     * @param room the room
     * @param user the user
     * @param role the role, or null to remove
     */
    void role(String room, String user, RoomRole role);

    /**
     * Records an invitation, replacing an earlier one for the same user.
     *
     * @param room the room
     * @param user the invited user
     * @param expiresAt when it lapses, or null for never
     */
    void invite(String room, String user, Instant expiresAt);

    /**
     * Uses up a valid invitation.
     *
     * @param room the room
     * @param user the user
     * @param now the current time
     * @return whether a valid invitation existed (it is removed)
     */
    boolean takeInvitation(String room, String user, Instant now);

    /**
     * Bans or mutes a subject. Subjects are {@code user:<name>} or {@code ip:<address>}.
     *
     * @param room the room
     * @param list {@code ban} or {@code mute}
     * @param subject the subject
     * @param until when it lapses, or null for never
     */
    void restrict(String room, String list, String subject, Instant until);

    /**
     * Lifts a ban or mute.
     *
     * @param room the room
     * @param list {@code ban} or {@code mute}
     * @param subject the subject
     * @return whether it was in force
     */
    boolean lift(String room, String list, String subject);

    /**
     * @param room the room
     * @param list {@code ban} or {@code mute}
     * @param subject the subject
     * @param now the current time
     * @return whether a ban or mute of the subject is in force now
     */
    boolean restricted(String room, String list, String subject, Instant now);

    /**
     * Appends a room message with the next offset and keeps at most {@code historySize} messages.
     *
     * @param room the room
     * @param historySize how many messages to keep
     * @param frame makes the frame from its offset
     * @return the frame as stored
     */
    String append(String room, int historySize, LongFunction<String> frame);

    /**
     * The messages after an offset.
     *
     * @param room the room
     * @param after the last offset the client has
     * @return the history, or empty when the room does not exist
     */
    Optional<History> since(String room, long after);
}
