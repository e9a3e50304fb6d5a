package dev.covet.websocket.impl.room;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;

/**
 * Who may enter a room: bans (a user ban always; an address ban only for users its setter outranks), room type
 * and invitations, capacity and the per-connection room cap; and the recovery floor a returning banned user gets.
 * Called under the room's lock, so that a ban and a join never interleave.
 */
final class Admission {

    private final RoomStore store;
    private final TimeSource time;

    Admission(RoomStore store, TimeSource time) {
        this.store = store;
        this.time = time;
    }

    /**
     * Admits a connection or says why not; under the room's lock.
     *
     * @throws RoomException {@code forbidden} (banned, private, no invitation), {@code conflict} (full, too many)
     */
    void admit(DefaultConnection connection, RoomStore.StoredRoom stored, String user, RoomRole role,
               CovetConfig settings) {
        String room = stored.room();
        if (banned(room, user, ipOf(connection), role)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Banned from room '" + room + "'");
        }
        if (connection.rooms().contains(room)) {
            return;
        }
        int maxRooms = settings.get(Settings.ROOMS_MAX_PER_CONNECTION);
        if (connection.rooms().size() >= maxRooms) {
            throw new RoomException(ErrorCode.CONFLICT, "In too many rooms (at most " + maxRooms
                    + " per connection)");
        }
        if (!store.isPresent(room, user) && store.presentCount(room) >= stored.config().maxMembers()) {
            throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' is full");
        }
        boolean assigned = store.role(room, user).isPresent();
        switch (stored.config().type()) {
            case PRIVATE -> {
                if (!assigned) {
                    throw new RoomException(ErrorCode.FORBIDDEN, "Room '" + room + "' is private");
                }
            }
            case INVITE_ONLY -> {
                if (!assigned) {
                    if (!store.takeInvitation(room, user, time.now())) {
                        throw new RoomException(ErrorCode.FORBIDDEN, "Room '" + room
                                + "' needs an invitation (none, or it expired)");
                    }
                    store.role(room, user, RoomRole.MEMBER);
                }
            }
            default -> {
            }
        }
    }

    /**
     * Whether a ban keeps a user out: a ban of the user, or of the address unless the user's role is at least the
     * role of whoever set it.
     *
     * @param room the room
     * @param user the user
     * @param ip the connection's address, or null
     * @param role the user's role in the room
     * @return whether they are banned
     */
    boolean banned(String room, String user, String ip, RoomRole role) {
        List<Subject> subjects = new ArrayList<>(2);
        subjects.add(Subject.user(user));
        if (ip != null) {
            subjects.add(Subject.ip(ip));
        }
        for (RoomStore.Restricted ban : store.restrictions(room, RoomStore.Restriction.BAN, subjects, time.now())) {
            if (keepsOut(ban, role)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A user was admitted; under the room's lock. A user returning after a ban may recover only what was sent
     * from now on.
     *
     * @return the user's recovery floor: no recovery from before it
     */
    long readmitted(String room, String user) {
        long floor = store.recoveryFloor(room, user).orElse(0);
        if (floor == Long.MAX_VALUE) {
            floor = store.offset(room).orElse(0);
            store.recoveryFloor(room, user, floor);
        }
        return floor;
    }

    /**
     * The rank rule of bans: a user ban keeps its user out; an address ban keeps out the users its setter outranks
     * (all of them when server code set it).
     *
     * @param ban a ban that names the user or their address
     * @param role the user's role in the room
     * @return whether it keeps the user out
     */
    static boolean keepsOut(RoomStore.Restricted ban, RoomRole role) {
        return ban.subject().kind() == Subject.Kind.USER || ban.setBy() == null || ban.setBy().outranks(role);
    }

    /** @return whether a restriction names this connection, by its user or its address */
    static boolean names(Subject subject, String user, String ip) {
        return subject.kind() == Subject.Kind.USER ? subject.value().equals(user) : subject.value().equals(ip);
    }

    static String ipOf(Connection connection) {
        return connection.remoteAddress().map(InetSocketAddress::getAddress).map(InetAddress::getHostAddress)
                .orElse(null);
    }
}
