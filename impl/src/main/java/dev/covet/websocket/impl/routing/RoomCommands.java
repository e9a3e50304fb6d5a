package dev.covet.websocket.impl.routing;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.function.Supplier;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.bind.JsonbException;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.room.Permissions;
import dev.covet.websocket.room.RoomAction;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomInfo;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.spi.RoomStore;

/**
 * The room commands of protocol v1: {@code $room.create}, {@code .join}, {@code .leave}, {@code .invite},
 * {@code .kick}, {@code .ban}, {@code .unban}, {@code .mute}, {@code .unmute}, {@code .role}, {@code .delete},
 * {@code .info}, {@code $presence} and {@code $history}: parse, check the caller's role against the permission
 * table, act through {@link LocalRooms}, answer. Every refusal is an error with a precise code.
 */
final class RoomCommands {

    private final Envelopes envelopes;
    private final LocalRooms rooms;
    private final Supplier<CovetConfig> config;

    RoomCommands(Envelopes envelopes, LocalRooms rooms, Supplier<CovetConfig> config) {
        this.envelopes = envelopes;
        this.rooms = rooms;
        this.config = config;
    }

    private static final Set<String> COMMANDS = Set.of("$room.create", "$room.join", "$room.leave", "$room.invite",
            "$room.kick", "$room.ban", "$room.unban", "$room.mute", "$room.unmute", "$room.role", "$room.delete",
            "$room.info", "$presence", "$history");

    /** @return whether the event is one of these commands */
    static boolean handles(String event) {
        return COMMANDS.contains(event);
    }

    void handle(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        RoomCommand command;
        try {
            command = "null".equals(message.data()) ? null
                    : (RoomCommand) envelopes.bind(message.data(), RoomCommand.class);
        } catch (JsonbException e) {
            connection.sendError(replyTo, ErrorCode.BAD_REQUEST, "'data' must be an object like {\"room\":\"name\"}");
            return;
        }
        String room = command == null ? null : command.room();
        String problem = LocalRooms.nameProblem(room);
        if (problem != null) {
            invalid(connection, replyTo, "room", problem);
            return;
        }
        DefaultInbound<RoomCommand> in = new DefaultInbound<>(message.event(), message.id(), command, connection,
                envelopes, false);
        try {
            switch (message.event()) {
                case "$room.create" -> create(in, connection, command);
                case "$room.join" -> join(in, connection, command);
                case "$room.leave" -> leave(in, connection, room);
                case "$room.invite" -> invite(in, connection, command);
                case "$room.kick" -> onUser(in, connection, command, RoomAction.KICK);
                case "$room.ban" -> ban(in, connection, command);
                case "$room.unban" -> unban(in, connection, command);
                case "$room.mute" -> onUser(in, connection, command, RoomAction.MUTE);
                case "$room.unmute" -> onUser(in, connection, command, RoomAction.UNMUTE);
                case "$room.role" -> role(in, connection, command);
                case "$room.delete" -> delete(in, connection, room);
                case "$room.info" -> info(in, connection, room);
                case "$presence" -> presence(in, connection, room);
                default -> history(in, connection, command);
            }
        } catch (RoomException e) {
            in.fail(e.code(), e.getMessage());
        } catch (Invalid e) {
            invalid(connection, replyTo, e.path, e.problem);
        }
    }

    private void create(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        CovetConfig settings = config.get();
        if (!settings.get(Settings.ROOMS_CLIENT_CREATE) || connection.principal().isEmpty()) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Creating rooms is not allowed"
                    + (connection.principal().isEmpty() ? " for anonymous connections" : ""));
        }
        RoomType type = c.type() == null ? RoomType.PUBLIC : parse(() -> RoomType.ofWireName(c.type()), "type",
                "must be one of public, private, invite-only, temporary");
        int limit = settings.get(Settings.ROOMS_MAX_MEMBERS);
        int maxMembers = c.maxMembers() == null ? limit : c.maxMembers();
        if (maxMembers < 1 || maxMembers > limit) {
            throw new Invalid("maxMembers", "must be from 1 to " + limit);
        }
        int historySize = c.historySize() == null ? settings.get(Settings.ROOMS_HISTORY_SIZE) : c.historySize();
        if (historySize < 0 || historySize > Settings.MAX_HISTORY_SIZE) {
            throw new Invalid("historySize", "must be from 0 to " + Settings.MAX_HISTORY_SIZE);
        }
        RoomRole postPolicy = c.postPolicy() == null ? RoomRole.MEMBER : parse(() -> RoomRole.ofWireName(
                c.postPolicy()), "postPolicy", "must be one of owner, admin, moderator, member, guest");
        String user = LocalRooms.userOf(connection);
        rooms.create(c.room(), new RoomConfig(type, maxMembers, historySize, postPolicy, c.metadata()), user);
        LocalRooms.Joined joined = rooms.joinChecked(connection, c.room(), null, null);
        in.reply(membership(c.room(), joined));
    }

    private void join(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        if ((c.since() == null) != (c.epoch() == null)) {
            throw new Invalid(c.since() == null ? "since" : "epoch", "must be given with " + (c.since() == null
                    ? "epoch" : "since"));
        }
        in.reply(membership(c.room(), rooms.joinChecked(connection, c.room(), c.since(), c.epoch())));
    }

    private void leave(DefaultInbound<RoomCommand> in, DefaultConnection connection, String room) {
        if (!rooms.leave(connection, room)) {
            throw new RoomException(ErrorCode.NOT_FOUND, "Not a member of room '" + room + "'");
        }
        in.reply(new RoomReplies.Membership(room, rooms.members(room).size(), null, null, null, null, null));
    }

    private void invite(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        RoomStore.StoredRoom stored = rooms.stored(c.room());
        requireUser(c);
        require(connection, stored, RoomAction.INVITE, null);
        rooms.invite(c.room(), c.user(), duration(c));
        in.reply(new RoomReplies.Done(c.room(), c.user(), null, null));
    }

    /** Kick, mute, unmute: an action on a user whom the caller must outrank. */
    private void onUser(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c,
                        RoomAction action) {
        RoomStore.StoredRoom stored = rooms.stored(c.room());
        requireUser(c);
        require(connection, stored, action, rooms.roleOf(c.room(), c.user()));
        boolean done = switch (action) {
            case KICK -> rooms.kick(c.room(), c.user());
            case MUTE -> {
                rooms.mute(c.room(), c.user(), duration(c));
                yield true;
            }
            default -> rooms.unmute(c.room(), c.user());
        };
        if (!done) {
            throw new RoomException(ErrorCode.NOT_FOUND, action == RoomAction.KICK
                    ? "'" + c.user() + "' is not in room '" + c.room() + "'"
                    : "'" + c.user() + "' is not muted in room '" + c.room() + "'");
        }
        in.reply(new RoomReplies.Done(c.room(), c.user(), null, null));
    }

    private void ban(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        RoomStore.StoredRoom stored = rooms.stored(c.room());
        if ((c.user() == null) == (c.ip() == null)) {
            throw new Invalid("user", "name exactly one of user or ip");
        }
        require(connection, stored, RoomAction.BAN, c.user() == null ? RoomRole.GUEST
                : rooms.roleOf(c.room(), c.user()));
        rooms.ban(c.room(), c.user() != null ? "user:" + c.user() : "ip:" + c.ip(), duration(c));
        in.reply(new RoomReplies.Done(c.room(), c.user(), c.ip(), null));
    }

    private void unban(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        RoomStore.StoredRoom stored = rooms.stored(c.room());
        if ((c.user() == null) == (c.ip() == null)) {
            throw new Invalid("user", "name exactly one of user or ip");
        }
        require(connection, stored, RoomAction.UNBAN, null);
        if (!rooms.unban(c.room(), c.user() != null ? "user:" + c.user() : "ip:" + c.ip())) {
            throw new RoomException(ErrorCode.NOT_FOUND, "No ban in force for that "
                    + (c.user() != null ? "user" : "ip"));
        }
        in.reply(new RoomReplies.Done(c.room(), c.user(), c.ip(), null));
    }

    private void role(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        rooms.stored(c.room());
        requireUser(c);
        if (c.role() == null) {
            throw new Invalid("role", "must not be blank");
        }
        RoomRole granted = parse(() -> RoomRole.ofWireName(c.role()), "role",
                "must be one of admin, moderator, member, guest");
        RoomRole actor = rooms.roleOf(c.room(), connection);
        if (!Permissions.mayGrant(actor, rooms.roleOf(c.room(), c.user()), granted)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "A " + actor.wireName() + " may not make '" + c.user()
                    + "' " + granted.wireName());
        }
        rooms.role(c.room(), c.user(), granted);
        in.reply(new RoomReplies.Done(c.room(), c.user(), null, granted.wireName()));
    }

    private void delete(DefaultInbound<RoomCommand> in, DefaultConnection connection, String room) {
        require(connection, rooms.stored(room), RoomAction.DELETE, null);
        rooms.delete(room);
        in.reply(new RoomReplies.Done(room, null, null, null));
    }

    private void info(DefaultInbound<RoomCommand> in, DefaultConnection connection, String room) {
        RoomInfo info = rooms.info(room).orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND,
                "No room '" + room + "'"));
        RoomType type = info.config().type();
        if (type != RoomType.PUBLIC && type != RoomType.TEMPORARY && !connection.rooms().contains(room)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Join room '" + room + "' first");
        }
        in.reply(new RoomReplies.Info(room, type.wireName(), info.owner(), info.epoch(), info.offset(), info.users(),
                info.config().maxMembers(), info.config().historySize(), info.config().postPolicy().wireName(),
                info.config().metadata()));
    }

    private void presence(DefaultInbound<RoomCommand> in, DefaultConnection connection, String room) {
        rooms.stored(room);
        requireMember(connection, room);
        List<RoomReplies.Present> users = rooms.presence(room).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new RoomReplies.Present(e.getKey(), e.getValue().wireName())).toList();
        in.reply(new RoomReplies.Presence(room, users));
    }

    private void history(DefaultInbound<RoomCommand> in, DefaultConnection connection, RoomCommand c) {
        rooms.stored(c.room());
        requireMember(connection, c.room());
        long since = c.since() == null ? 0 : c.since();
        RoomStore.History history = rooms.history(c.room(), since);
        boolean recovered = history.complete() && (c.epoch() == null || history.epoch().equals(c.epoch()));
        List<JsonObject> messages = recovered ? history.frames().stream().map(RoomCommands::parse).toList()
                : List.of();
        in.reply(new RoomReplies.History(c.room(), history.epoch(), history.offset(), recovered, messages));
    }

    private void require(DefaultConnection connection, RoomStore.StoredRoom stored, RoomAction action,
                         RoomRole target) {
        RoomRole actor = rooms.roleOf(stored.room(), connection);
        if (!Permissions.allows(actor, action, stored.config().type(), stored.config().postPolicy(), target)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "A " + actor.wireName() + " may not "
                    + action.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + (target == null ? "" : " a " + target.wireName()) + " in room '" + stored.room() + "'");
        }
    }

    private static void requireMember(DefaultConnection connection, String room) {
        if (!connection.rooms().contains(room)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Join room '" + room + "' first");
        }
    }

    private static void requireUser(RoomCommand c) {
        if (c.user() == null || c.user().isBlank()) {
            throw new Invalid("user", "must not be blank");
        }
    }

    private static Duration duration(RoomCommand c) {
        if (c.seconds() == null) {
            return null;
        }
        if (c.seconds() < 1) {
            throw new Invalid("seconds", "must be at least 1");
        }
        return Duration.ofSeconds(c.seconds());
    }

    private static <T> T parse(Supplier<T> parser, String field, String expected) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new Invalid(field, expected);
        }
    }

    private RoomReplies.Membership membership(String room, LocalRooms.Joined joined) {
        RoomInfo info = joined.info();
        return new RoomReplies.Membership(room, rooms.members(room).size(), info.users(), info.epoch(), info.offset(), joined.role().wireName(),
                joined.recovered());
    }

    private void invalid(DefaultConnection connection, String replyTo, String path, String problem) {
        connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid " + path,
                List.of(new Envelopes.Detail(path, problem))));
    }

    private static JsonObject parse(String frame) {
        try (JsonReader reader = Json.createReader(new StringReader(frame))) {
            return reader.readObject();
        }
    }

    /** A field of the command data that is missing or wrong: answered with {@code validation_failed} and a detail. */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String path;
        private final String problem;

        Invalid(String path, String problem) {
            super(path + " " + problem, null, false, false);
            this.path = path;
            this.problem = problem;
        }
    }
}
