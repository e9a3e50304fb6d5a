package dev.covet.websocket.impl.room;

import java.util.Set;

import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.Subject;

/** Applies what other nodes of a cluster did to this node's connections; the single-node bus never calls it. */
final class FromOtherNodes implements RoomFeed.Remote {

    private final LocalRooms rooms;
    private final Membership membership;
    private final RoomModeration moderation;
    private final ConnectionRegistry registry;

    FromOtherNodes(LocalRooms rooms, Membership membership, RoomModeration moderation, ConnectionRegistry registry) {
        this.rooms = rooms;
        this.membership = membership;
        this.moderation = moderation;
        this.registry = registry;
    }

    @Override
    public void remove(String room, Subject subject, LeaveReason reason, RoomRole setBy) {
        moderation.removedElsewhere(room, subject, reason, setBy);
    }

    @Override
    public void deleted(String room) {
        membership.deletedElsewhere(room);
    }

    @Override
    public void toUser(String user, String frame) {
        rooms.toUserHere(user, frame);
    }

    @Override
    public void disconnect(String user, int code, String reason) {
        registry.byUser(user).forEach(connection -> connection.close(code, reason));
    }

    @Override
    public void lost(String room, Set<String> users) {
        membership.lost(room, users);
    }

    @Override
    public void recheck(String room) {
        if (membership.exists(room)) {
            moderation.recheck(room);
        } else {
            membership.deletedElsewhere(room);
        }
    }
}
