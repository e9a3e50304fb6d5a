package dev.covet.websocket.impl.room;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.TimeSource;
import dev.covet.websocket.room.LeaveReason;
import dev.covet.websocket.room.RoleChanged;
import dev.covet.websocket.room.RoomAction;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;

/**
 * Invitations, kicks, bans, mutes and roles, by an actor: a connection (a wire command) or server code
 * ({@code null}, which outranks every role).
 *
 * <p>A connection acts only while it is present in the room and not banned there, with a role the permission
 * table allows, on users it outranks. Nobody lifts their own ban or mute, nor one set by a role above their own.
 * An address ban removes and keeps out only users its setter outranks. Recording a ban and removing the
 * connections it names happen under the room's lock, atomically with joins.
 */
public final class RoomModeration {

    private final LocalRooms rooms;
    private final Membership membership;
    private final RoomStore store;
    private final Presence presence;
    private final RoomFeed feed;
    private final Admission admission;
    private final TimeSource time;

    RoomModeration(LocalRooms rooms, Membership membership, RoomStore store, Presence presence, RoomFeed feed,
                   Admission admission, TimeSource time) {
        this.rooms = rooms;
        this.membership = membership;
        this.store = store;
        this.presence = presence;
        this.feed = feed;
        this.admission = admission;
        this.time = time;
    }

    /**
     * Checks that an actor may take an action, on a target where it has one.
     *
     * @param actor the connection acting, or null for server code
     * @param room the room
     * @param action the action
     * @param target the target's role, or null
     * @return the room
     * @throws RoomException {@code not_found} without such room, {@code forbidden} when not allowed
     */
    public RoomStore.StoredRoom require(DefaultConnection actor, String room, RoomAction action, RoomRole target) {
        RoomStore.StoredRoom stored = rooms.stored(room);
        if (actor == null) {
            return stored;
        }
        String user = LocalRooms.userOf(actor);
        RoomRole role = rooms.roleOf(room, user);
        if (!actor.rooms().contains(room) || admission.banned(room, user, Admission.ipOf(actor), role)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Only a present, unbanned member may "
                    + verb(action) + " in room '" + room + "'; join it first");
        }
        if (!Permissions.allows(role, action, stored.config().type(), stored.config().postPolicy(), target)) {
            throw new RoomException(ErrorCode.FORBIDDEN, capitalized(role) + " may not " + verb(action)
                    + (target == null ? "" : " " + withArticle(target)) + " in room '" + room + "'");
        }
        return stored;
    }

    /** Invites a user to an invite-only room, or adds them to a private one; tells their connections. */
    public void invite(DefaultConnection actor, String room, String user, Duration validFor) {
        RoomStore.StoredRoom stored = require(actor, room, RoomAction.INVITE, null);
        if (stored.config().type() == RoomType.PRIVATE) {
            if (store.role(room, user).isEmpty()) {
                requireRoomFor(actor, room, RoomStore.Entries.ROLES, "admitted users and roles", () -> true);
                store.role(room, user, RoomRole.MEMBER);
            }
        } else {
            requireRoomFor(actor, room, RoomStore.Entries.INVITATIONS, "pending invitations", () -> true);
            store.invite(room, user, validFor == null ? null : time.now().plus(validFor));
        }
        rooms.sendToUser(user, "$room.invited", new Notices.MemberNotice(room, user, null, null));
    }

    /**
     * Removes every connection of a user from the room. They may rejoin a public or temporary room; from a private or
     * invite-only room the kick also takes back their admission (their role there, a pending invitation), recorded
     * before any node removes a connection, so a join racing the kick anywhere ends up outside.
     *
     * @return whether the user was present, or admitted to a private or invite-only room
     */
    public boolean kick(DefaultConnection actor, String room, String user) {
        RoomStore.StoredRoom stored = require(actor, room, RoomAction.KICK, rooms.roleOf(room, user));
        boolean present = store.isPresent(room, user);
        boolean admissionTaken = false;
        List<Membership.Departure> departures;
        synchronized (membership.lock(room)) {
            RoomType type = stored.config().type();
            if (type == RoomType.PRIVATE || type == RoomType.INVITE_ONLY) {
                admissionTaken = takeAdmission(room, user, present);
            }
            departures = removeHere(room, Subject.user(user), LeaveReason.KICKED, null);
        }
        feed.publish(room, Signal.Kind.REMOVE, removal(Subject.user(user), LeaveReason.KICKED, null), null);
        return announce(departures, LeaveReason.KICKED) || present || admissionTaken;
    }

    /**
     * Under the room's lock: removes a user's role and pending invitation, never the owner's (server code may kick).
     * A user removed while present gets a recovery floor, as for a ban: let back in, they recover nothing sent while
     * they were out.
     */
    private boolean takeAdmission(String room, String user, boolean present) {
        Optional<RoomRole> role = store.role(room, user);
        if (role.isPresent() && role.get() == RoomRole.OWNER) {
            return false;
        }
        if (role.isPresent()) {
            store.role(room, user, null);
            if (present) {
                store.recoveryFloor(room, user, Long.MAX_VALUE);
            }
        }
        return store.takeInvitation(room, user, time.now()) || role.isPresent();
    }

    /** Bans a user or address and removes the connections it names, atomically with joins on each node. */
    public void ban(DefaultConnection actor, String room, Subject subject, Duration duration) {
        RoomRole target = subject.kind() == Subject.Kind.USER ? rooms.roleOf(room, subject.value()) : null;
        require(actor, room, RoomAction.BAN, target);
        RoomRole setBy = actor == null ? null : rooms.roleOf(room, actor);
        requireRoomFor(actor, room, RoomStore.Entries.BANS, "bans", () -> store.restrictions(room,
                RoomStore.Restriction.BAN, List.of(subject), time.now()).isEmpty());
        if (subject.kind() == Subject.Kind.USER) {
            requireRoomFor(actor, room, RoomStore.Entries.FLOORS, "users once banned",
                    () -> store.recoveryFloor(room, subject.value()).isEmpty());
        }
        Instant until = duration == null ? null : time.now().plus(duration);
        List<Membership.Departure> departures;
        synchronized (membership.lock(room)) {
            store.restrict(room, RoomStore.Restriction.BAN, new RoomStore.Restricted(subject, until, setBy));
            if (subject.kind() == Subject.Kind.USER) {
                store.recoveryFloor(room, subject.value(), Long.MAX_VALUE);
            }
            departures = removeHere(room, subject, LeaveReason.BANNED, setBy);
        }
        feed.publish(room, Signal.Kind.REMOVE, removal(subject, LeaveReason.BANNED, setBy), null);
        announce(departures, LeaveReason.BANNED);
    }

    /** A kick or ban made on another node: removes the connections here that it names. */
    void removedElsewhere(String room, Subject subject, LeaveReason reason, RoomRole setBy) {
        List<Membership.Departure> departures;
        synchronized (membership.lock(room)) {
            departures = removeHere(room, subject, reason, setBy);
        }
        announce(departures, reason);
    }

    /**
     * Removes this node's connections that a ban recorded while this node could not hear about it names, with one
     * store call for the whole room.
     */
    void recheck(String room) {
        List<Membership.Departure> departures = new ArrayList<>();
        synchronized (membership.lock(room)) {
            List<DefaultConnection> members = presence.matching(room, member -> true);
            java.util.Set<Subject> subjects = new java.util.HashSet<>();
            for (DefaultConnection member : members) {
                subjects.add(Subject.user(LocalRooms.userOf(member)));
                String ip = Admission.ipOf(member);
                if (ip != null) {
                    subjects.add(Subject.ip(ip));
                }
            }
            List<RoomStore.Restricted> bans = store.restrictions(room, RoomStore.Restriction.BAN, subjects,
                    time.now());
            if (bans.isEmpty()) {
                return;
            }
            for (DefaultConnection member : members) {
                String user = LocalRooms.userOf(member);
                String ip = Admission.ipOf(member);
                for (RoomStore.Restricted ban : bans) {
                    if (Admission.names(ban.subject(), user, ip) && Admission.keepsOut(ban, rooms.roleOf(room, user))) {
                        store.recoveryFloor(room, user, Long.MAX_VALUE);
                        departures.add(membership.removeLocked(member, room, LeaveReason.BANNED));
                        break;
                    }
                }
            }
        }
        announce(departures, LeaveReason.BANNED);
    }

    /**
     * Under the room's lock: removes this node's connections a kick or ban names; an address ban spares the users
     * whose role is not below its setter's.
     */
    private List<Membership.Departure> removeHere(String room, Subject subject, LeaveReason reason, RoomRole setBy) {
        List<Membership.Departure> departures = new ArrayList<>();
        for (DefaultConnection member : presence.matching(room, m -> Admission.names(subject,
                LocalRooms.userOf(m), Admission.ipOf(m)))) {
            String user = LocalRooms.userOf(member);
            if (reason == LeaveReason.BANNED) {
                if (!Admission.keepsOut(new RoomStore.Restricted(subject, null, setBy), rooms.roleOf(room, user))) {
                    continue;
                }
                store.recoveryFloor(room, user, Long.MAX_VALUE);
            }
            departures.add(membership.removeLocked(member, room, reason));
        }
        return departures;
    }

    private static List<String> removal(Subject subject, LeaveReason reason, RoomRole setBy) {
        return List.of(subject.kind().name(), subject.value(), reason.name(), setBy == null ? "" : setBy.name());
    }

    /**
     * Lifts a ban, unless it is the actor's own or was set by a role above the actor's.
     *
     * @return whether a ban was in force
     */
    public boolean unban(DefaultConnection actor, String room, Subject subject) {
        require(actor, room, RoomAction.UNBAN, null);
        return lift(actor, room, RoomStore.Restriction.BAN, subject);
    }

    /** Mutes a user: present, but {@code mayPost} is false. */
    public void mute(DefaultConnection actor, String room, String user, Duration duration) {
        require(actor, room, RoomAction.MUTE, rooms.roleOf(room, user));
        RoomRole setBy = actor == null ? null : rooms.roleOf(room, actor);
        requireRoomFor(actor, room, RoomStore.Entries.MUTES, "mutes", () -> store.restrictions(room,
                RoomStore.Restriction.MUTE, List.of(Subject.user(user)), time.now()).isEmpty());
        store.restrict(room, RoomStore.Restriction.MUTE, new RoomStore.Restricted(Subject.user(user),
                duration == null ? null : time.now().plus(duration), setBy));
    }

    /**
     * Lifts a mute, with the rules of {@link #unban}.
     *
     * @return whether a mute was in force
     */
    public boolean unmute(DefaultConnection actor, String room, String user) {
        require(actor, room, RoomAction.UNMUTE, rooms.roleOf(room, user));
        return lift(actor, room, RoomStore.Restriction.MUTE, Subject.user(user));
    }

    private boolean lift(DefaultConnection actor, String room, RoomStore.Restriction kind, Subject subject) {
        Optional<RoomStore.Restricted> entry = store.restrictions(room, kind, List.of(subject), time.now()).stream()
                .findFirst();
        if (entry.isEmpty()) {
            return false;
        }
        if (actor != null) {
            String what = kind.name().toLowerCase(Locale.ROOT);
            if (Admission.names(subject, LocalRooms.userOf(actor), Admission.ipOf(actor))) {
                throw new RoomException(ErrorCode.FORBIDDEN, "Nobody may lift their own " + what);
            }
            RoomRole role = rooms.roleOf(room, actor);
            RoomRole setBy = entry.get().setBy();
            if (setBy == null || setBy.outranks(role)) {
                throw new RoomException(ErrorCode.FORBIDDEN, "This " + what + " was set by "
                        + (setBy == null ? "the server" : withArticle(setBy)) + "; " + withArticle(role)
                        + " may not lift it");
            }
        }
        return store.lift(room, kind, subject);
    }

    /** Gives a user another role; fires {@link RoleChanged} and notifies members when it changed. */
    public void role(DefaultConnection actor, String room, String user, RoomRole granted) {
        RoomRole from = rooms.roleOf(room, user);
        if (actor == null) {
            rooms.stored(room);
        } else {
            require(actor, room, RoomAction.CHANGE_ROLE, null);
            RoomRole role = rooms.roleOf(room, actor);
            if (!Permissions.mayGrant(role, from, granted)) {
                throw new RoomException(ErrorCode.FORBIDDEN, capitalized(role) + " may not make '" + user
                        + "' " + granted.wireName());
            }
        }
        requireRoomFor(actor, room, RoomStore.Entries.ROLES, "admitted users and roles",
                () -> store.role(room, user).isEmpty());
        store.role(room, user, granted);
        if (from != granted) {
            rooms.events.select(RoleChanged.class).fire(new RoleChanged(room, user, from, granted));
            membership.notice(room, "$room.role", new Notices.MemberNotice(room, user, granted.wireName(), null), null);
        }
    }

    /** @return whether the connection may post now: present, not muted, role at least the post policy */
    boolean mayPost(DefaultConnection connection, String room) {
        RoomStore.StoredRoom stored = store.room(room).orElse(null);
        if (stored == null || !connection.rooms().contains(room)) {
            return false;
        }
        String user = LocalRooms.userOf(connection);
        return store.restrictions(room, RoomStore.Restriction.MUTE, List.of(Subject.user(user)), time.now())
                .isEmpty() && rooms.roleOf(room, user).atLeast(stored.config().postPolicy());
    }

    private boolean announce(List<Membership.Departure> departures, LeaveReason reason) {
        boolean any = false;
        for (Membership.Departure departure : departures) {
            any |= membership.announce(departure, reason);
        }
        return any;
    }

    /**
     * A client's command may add an entry of a kind only while the room keeps fewer than
     * {@code covet.rooms.max-entries} of them (lapsed ones do not count); changing an existing entry is always
     * possible, and server code is not limited. Whether the command adds one is asked only of a full room.
     */
    private void requireRoomFor(DefaultConnection actor, String room, RoomStore.Entries kind, String what,
                                BooleanSupplier adds) {
        if (actor == null) {
            return;
        }
        int max = rooms.config.get().get(Settings.ROOMS_MAX_ENTRIES);
        if (store.full(room, kind, max, time.now()) && adds.getAsBoolean()) {
            throw new RoomException(ErrorCode.CONFLICT, "Room '" + room + "' keeps at most " + max + " " + what
                    + " (covet.rooms.max-entries)");
        }
    }

    private static String verb(RoomAction action) {
        return action.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    /** "an owner", "an admin", "a moderator": the role as the subject or object of a refusal's sentence. */
    private static String withArticle(RoomRole role) {
        String name = role.wireName();
        return ("aeiou".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    private static String capitalized(RoomRole role) {
        String phrase = withArticle(role);
        return Character.toUpperCase(phrase.charAt(0)) + phrase.substring(1);
    }
}
