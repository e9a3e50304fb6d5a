package dev.covet.websocket.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;

/**
 * Where room state lives: configuration, roles, invitations, bans, mutes, history with offsets, and which users are
 * present (counted per node, so that a lost node's users can be cleared). The library's in-memory store is the
 * default and {@code covet.cluster.redis.uri} selects its Redis store; a CDI bean implementing this interface with
 * {@code @Alternative @Priority} replaces either without touching anything else. The connections themselves stay on
 * their node.
 *
 * <p>Implementations must be thread-safe; {@link #append} must assign offsets atomically per room. The library
 * calls a store while it holds a room's lock; no method takes a callback, so a store never calls back into the
 * library from inside its atomic section.
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

    /** What {@link #create} did. */
    enum Created {
        /** The room was created. */
        CREATED,
        /** A room of that name exists; nothing changed. */
        EXISTS,
        /** The owner already owns the most rooms allowed; nothing changed. */
        OWNER_LIMIT,
        /** The store holds the most rooms it may ({@code covet.rooms.max}); nothing changed. */
        STORE_LIMIT
    }

    /**
     * What a room keeps per user or address. Clients' moderation commands add them, so each kind is bounded per room
     * ({@code covet.rooms.max-entries}; see {@link RoomStore#full}).
     */
    enum Entries {
        /** Assigned roles (and a private room's list of admitted users). */
        ROLES,
        /** Pending invitations. */
        INVITATIONS,
        /** Bans, of users and addresses. */
        BANS,
        /** Mutes. */
        MUTES,
        /** Recovery floors: where each user once banned may recover from. */
        FLOORS
    }

    /** The two kinds of restriction. */
    enum Restriction {
        /** Kept out of the room. */
        BAN,
        /** Present, but may not post. */
        MUTE
    }

    /**
     * A ban or mute in force.
     *
     * @param subject whom it names
     * @param until when it lapses, or null for never
     * @param setBy the role of who set it, or null when server code did (which outranks every role)
     */
    record Restricted(Subject subject, Instant until, RoomRole setBy) {
    }

    /**
     * Messages after an offset, and whether some of them are gone.
     *
     * @param epoch the room's epoch
     * @param offset the room's last offset
     * @param complete whether every message after the requested offset is still kept
     * @param frames kept frames after the requested offset, oldest first, at most as many as asked for; when not
     *               complete, those kept after the messages that are gone (none when the requested offset is
     *               beyond the room's last)
     * @param more whether kept frames after the last one returned were left out to respect the bounds asked for
     */
    record History(String epoch, long offset, boolean complete, List<String> frames, boolean more) {
    }

    /**
     * Creates a room unless one of that name exists, its owner already owns {@code maxPerOwner} rooms, or the store
     * holds as many rooms as it may.
     *
     * @param room the stored room
     * @param maxPerOwner the most rooms one owner may own; ignored for a room without owner
     * @return what happened
     */
    Created create(StoredRoom room, int maxPerOwner);

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
     * Bans or mutes a subject, replacing an earlier entry for the same subject.
     *
     * @param room the room
     * @param kind ban or mute
     * @param entry the subject, expiry and who set it
     */
    void restrict(String room, Restriction kind, Restricted entry);

    /**
     * Lifts a ban or mute.
     *
     * @param room the room
     * @param kind ban or mute
     * @param subject the subject
     * @return whether it was in force
     */
    boolean lift(String room, Restriction kind, Subject subject);

    /**
     * Whether a room keeps at least {@code max} entries of a kind, counting only those that still matter: it first
     * drops invitations, bans and mutes that lapsed before {@code now}, and recovery floors that no longer hold
     * anything back (a floor no kept message lies at or below; the floor of a user no longer banned, who has not returned, is
     * first moved to the room's last offset). Cheap below {@code max}: it need not look at the entries then.
     *
     * @param room the room
     * @param kind what to count
     * @param max the bound
     * @param now the current time
     * @return whether the room keeps {@code max} entries or more of the kind (false when there is no such room)
     */
    boolean full(String room, Entries kind, int max, Instant now);

    /**
     * The bans or mutes in force now for any of some subjects, in one call (a join checks a user and an address).
     *
     * @param room the room
     * @param kind ban or mute
     * @param subjects the subjects
     * @param now the current time
     * @return the entries in force, in no particular order
     */
    List<Restricted> restrictions(String room, Restriction kind, Collection<Subject> subjects, Instant now);

    /**
     * A stored room message.
     *
     * @param offset its offset, or 0 when there was no such room (nothing was stored)
     * @param frame the frame as stored
     */
    record Appended(long offset, String frame) {
    }

    /**
     * Appends a room message with the next offset and keeps at most the room's {@code historySize} messages, in one
     * step (for a remote store: one round trip). The frame is {@code head + offset + tail}, assembled by the store,
     * so that assigning the offset, storing the frame and (in a cluster) publishing it to the other nodes can be one
     * atomic step without calling back into the library.
     *
     * @param room the room
     * @param head the frame's text before the offset
     * @param tail the frame's text after the offset
     * @return the stored message, or offset 0 when there is no such room
     */
    Appended append(String room, String head, String tail);

    /**
     * @param room the room
     * @return its last offset, without reading history; empty when there is no such room
     */
    OptionalLong offset(String room);

    /**
     * Kept messages after an offset, bounded.
     *
     * @param room the room
     * @param after the last offset the client has
     * @param maxFrames the most frames to return
     * @param maxChars the most characters the returned frames may add up to
     * @return the history, or empty when the room does not exist
     */
    Optional<History> since(String room, long after, int maxFrames, long maxChars);

    /**
     * Sets the offset before which a user may not recover a room's messages (what was sent while they were banned);
     * {@link Long#MAX_VALUE} while a ban keeps them out.
     *
     * @param room the room
     * @param user the user
     * @param offset the offset
     */
    void recoveryFloor(String room, String user, long offset);

    /**
     * @param room the room
     * @param user the user
     * @return the user's recovery floor in the room, or empty when they were never banned there
     */
    OptionalLong recoveryFloor(String room, String user);

    /**
     * Counts a connection of a user as present in a room on a node.
     *
     * @param room the room
     * @param node the node the connection is on
     * @param user the user
     * @return how many connections the user now has in the room, on all nodes (1: the user just became present)
     */
    int enter(String room, String node, String user);

    /**
     * Stops counting a connection of a user as present in a room on a node.
     *
     * @param room the room
     * @param node the node the connection was on
     * @param user the user
     * @return how many connections the user still has in the room, on all nodes (0: the user just left)
     */
    int exit(String room, String node, String user);

    /**
     * @param room the room
     * @return the users present in the room, on all nodes
     */
    Set<String> present(String room);

    /**
     * @param room the room
     * @return how many users are present in the room, on all nodes
     */
    int presentCount(String room);

    /**
     * @param room the room
     * @param user the user
     * @return whether the user has a connection in the room, on any node
     */
    boolean isPresent(String room, String user);

    /**
     * @param node a node
     * @return the rooms in which the node has connections counted as present
     */
    Set<String> roomsOf(String node);

    /**
     * Makes a node's presence in a room exactly what it is: the node's connections per user, or none when the node
     * is lost. Used when a node starts (clearing what a previous run left), after the store was out of reach, and
     * by the node that finds another node dead.
     *
     * @param room the room
     * @param node the node
     * @param connections the node's connections in the room, per user; empty to clear the node
     * @return the users no longer present in the room on any node because of this
     */
    Set<String> resync(String room, String node, Map<String, Integer> connections);
}
