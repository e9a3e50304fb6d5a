package dev.covet.websocket.impl.routing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.impl.auth.UserNames;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.endpoint.ClientAddress;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;
import dev.covet.websocket.impl.room.RoomModeration;
import dev.covet.websocket.impl.room.RoomNames;
import dev.covet.websocket.room.RoomAction;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomInfo;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;

/**
 * The room commands of protocol v1: {@code $room.create}, {@code .join}, {@code .leave}, {@code .invite},
 * {@code .kick}, {@code .ban}, {@code .unban}, {@code .mute}, {@code .unmute}, {@code .role}, {@code .delete},
 * {@code .info}, {@code .list}, {@code $presence} and {@code $history}: read the data strictly, act through {@link LocalRooms}
 * and {@link RoomModeration} (which check the caller's standing), answer. Every refusal is an error with a
 * precise code.
 */
final class RoomCommands {

    /** Longest ban, mute or invitation, in seconds: ten years. */
    static final long MAX_SECONDS = 315_360_000L;
    /** Most messages one {@code $history} answer carries. */
    static final int MAX_HISTORY_PAGE = 1000;
    /** Most metadata entries a client may give a room. */
    static final int MAX_METADATA_ENTRIES = 32;
    private static final int DEFAULT_HISTORY_PAGE = 100;
    /** Most rooms one {@code $room.list} answer carries. */
    static final int MAX_LIST_PAGE = 100;
    private static final int DEFAULT_LIST_PAGE = 50;
    /** Room for the envelope around a {@code $history} page within the outbound bound. */
    private static final int HISTORY_ENVELOPE_CHARS = 1024;
    private static final Set<String> COMMANDS = Set.of("$room.create", "$room.join", "$room.leave", "$room.invite",
            "$room.kick", "$room.ban", "$room.unban", "$room.mute", "$room.unmute", "$room.role", "$room.delete",
            "$room.info", "$room.list", "$presence", "$history");

    private final Envelopes envelopes;
    private final LocalRooms rooms;
    private final Supplier<CovetConfig> config;

    RoomCommands(Envelopes envelopes, LocalRooms rooms, Supplier<CovetConfig> config) {
        this.envelopes = envelopes;
        this.rooms = rooms;
        this.config = config;
    }

    /** @return whether the event is one of these commands */
    static boolean handles(String event) {
        return COMMANDS.contains(event);
    }

    void handle(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        boolean list = message.event().equals("$room.list");
        // $room.list has only optional fields, so it may come without data.
        CommandData data = list && (message.data() == null || "null".equals(message.data())) ? CommandData.NONE
                : CommandData.parse(message.data());
        if (data == null) {
            connection.sendError(replyTo, ErrorCode.BAD_REQUEST, list ? "'data' must be an object like {\"limit\":50}"
                    : "'data' must be an object like {\"room\":\"name\"}");
            return;
        }
        DefaultInbound<CommandData> in = new DefaultInbound<>(message.event(), message.id(), data, connection,
                envelopes, false);
        try {
            if (list) {
                list(in, data);
                return;
            }
            String room = data.string("room");
            String problem = RoomNames.problem(room);
            if (problem != null) {
                throw new CommandData.Invalid("room", problem);
            }
            RoomModeration moderation = rooms.moderation();
            switch (message.event()) {
                case "$room.create" -> create(in, connection, room, data);
                case "$room.join" -> join(in, connection, room, data);
                case "$room.leave" -> leave(in, connection, room);
                case "$room.invite" -> {
                    String user = user(data);
                    moderation.invite(connection, room, user, duration(data));
                    in.reply(new RoomReplies.Done(room, user, null, null));
                }
                case "$room.kick" -> {
                    String user = user(data);
                    found(moderation.kick(connection, room, user), "'" + user + "' is not in room '" + room + "'");
                    in.reply(new RoomReplies.Done(room, user, null, null));
                }
                case "$room.ban" -> {
                    Subject subject = subject(data);
                    moderation.ban(connection, room, subject, duration(data));
                    in.reply(done(room, subject, null));
                }
                case "$room.unban" -> {
                    Subject subject = subject(data);
                    found(moderation.unban(connection, room, subject), "No ban in force for that "
                            + (subject.kind() == Subject.Kind.USER ? "user" : "ip"));
                    in.reply(done(room, subject, null));
                }
                case "$room.mute" -> {
                    String user = user(data);
                    moderation.mute(connection, room, user, duration(data));
                    in.reply(new RoomReplies.Done(room, user, null, null));
                }
                case "$room.unmute" -> {
                    String user = user(data);
                    found(moderation.unmute(connection, room, user), "'" + user + "' is not muted in room '"
                            + room + "'");
                    in.reply(new RoomReplies.Done(room, user, null, null));
                }
                case "$room.role" -> role(in, connection, room, data);
                case "$room.delete" -> {
                    moderation.require(connection, room, RoomAction.DELETE, null);
                    rooms.delete(room);
                    in.reply(new RoomReplies.Done(room, null, null, null));
                }
                case "$room.info" -> info(in, connection, room);
                case "$presence" -> presence(in, connection, room);
                default -> history(in, connection, room, data);
            }
        } catch (RoomException e) {
            in.fail(e.code(), e.getMessage());
        } catch (CommandData.Invalid e) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid " + e.path,
                    List.of(new Envelopes.Detail(e.path, e.problem))));
        }
    }

    private void create(DefaultInbound<CommandData> in, DefaultConnection connection, String room,
                        CommandData data) {
        CovetConfig settings = config.get();
        if (!settings.get(Settings.ROOMS_CLIENT_CREATE) || connection.principal().isEmpty()) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Creating rooms is not allowed"
                    + (connection.principal().isEmpty() ? " for anonymous connections" : ""));
        }
        RoomType type = data.string("type") == null ? RoomType.PUBLIC : parse(() -> RoomType.ofWireName(
                data.string("type")), "type", "must be one of public, private, invite-only, temporary");
        int memberLimit = settings.get(Settings.ROOMS_MAX_MEMBERS);
        Long maxMembers = data.integer("maxMembers", 1, memberLimit);
        int historyLimit = settings.get(Settings.ROOMS_CLIENT_HISTORY_MAX);
        Long historySize = data.integer("historySize", 0, historyLimit);
        RoomRole postPolicy = data.string("postPolicy") == null ? RoomRole.MEMBER : parse(() -> RoomRole.ofWireName(
                data.string("postPolicy")), "postPolicy", "must be one of owner, admin, moderator, member, guest");
        Map<String, String> metadata = metadata(data, settings.get(Settings.ROOMS_METADATA_MAX_BYTES));
        int maxRooms = settings.get(Settings.ROOMS_MAX_PER_CONNECTION);
        if (connection.rooms().size() >= maxRooms) {
            throw new RoomException(ErrorCode.CONFLICT, "In too many rooms (at most " + maxRooms
                    + " per connection)");
        }
        RoomConfig roomConfig = new RoomConfig(type, maxMembers == null ? memberLimit : maxMembers.intValue(),
                historySize == null ? Math.min(settings.get(Settings.ROOMS_HISTORY_SIZE), historyLimit)
                        : historySize.intValue(), postPolicy, metadata);
        rooms.create(room, roomConfig, LocalRooms.userOf(connection), settings.get(Settings.ROOMS_MAX_OWNED_PER_USER));
        replyJoined(in, connection, room, rooms.joinChecked(connection, room, null, null));
    }

    private static Map<String, String> metadata(CommandData data, int maxBytes) {
        Map<String, String> metadata = data.strings("metadata");
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new CommandData.Invalid("metadata", "must have at most " + MAX_METADATA_ENTRIES + " entries");
        }
        long bytes = 0;
        for (Map.Entry<String, String> entry : metadata.entrySet()) {
            bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length
                    + entry.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > maxBytes) {
            throw new CommandData.Invalid("metadata", "must have at most " + maxBytes
                    + " UTF-8 bytes of keys and values");
        }
        return metadata;
    }

    private void join(DefaultInbound<CommandData> in, DefaultConnection connection, String room, CommandData data) {
        Long since = data.integer("since", 0, Long.MAX_VALUE);
        String epoch = data.string("epoch");
        if ((since == null) != (epoch == null)) {
            throw new CommandData.Invalid(since == null ? "since" : "epoch", "must be given with "
                    + (since == null ? "epoch" : "since"));
        }
        replyJoined(in, connection, room, rooms.joinChecked(connection, room, since, epoch));
    }

    private void leave(DefaultInbound<CommandData> in, DefaultConnection connection, String room) {
        found(rooms.leave(connection, room), "Not a member of room '" + room + "'");
        in.reply(new RoomReplies.Membership(room, rooms.memberCount(room), null, null, null, null, null));
    }

    private void role(DefaultInbound<CommandData> in, DefaultConnection connection, String room, CommandData data) {
        String user = user(data);
        String wire = data.string("role");
        if (wire == null) {
            throw new CommandData.Invalid("role", "must not be blank");
        }
        RoomRole granted = parse(() -> RoomRole.ofWireName(wire), "role",
                "must be one of admin, moderator, member, guest");
        rooms.moderation().role(connection, room, user, granted);
        in.reply(new RoomReplies.Done(room, user, null, granted.wireName()));
    }

    private void info(DefaultInbound<CommandData> in, DefaultConnection connection, String room) {
        RoomInfo info = rooms.info(room).orElseThrow(() -> new RoomException(ErrorCode.NOT_FOUND,
                "No room '" + room + "'"));
        RoomType type = info.config().type();
        if (type != RoomType.PUBLIC && type != RoomType.TEMPORARY) {
            requireMember(connection, room);
        }
        in.reply(new RoomReplies.Info(room, type.wireName(), info.owner(), info.epoch(), info.offset(), info.users(),
                info.config().maxMembers(), info.config().historySize(), info.config().postPolicy().wireName(),
                info.config().metadata()));
    }

    private void list(DefaultInbound<CommandData> in, CommandData data) {
        Long limit = data.integer("limit", 1, MAX_LIST_PAGE);
        String after = data.string("after");
        int size = limit == null ? DEFAULT_LIST_PAGE : limit.intValue();
        List<RoomInfo> page = rooms.listed(after, size);
        List<RoomReplies.Listed> listed = page.stream().limit(size).map(info -> new RoomReplies.Listed(info.room(),
                info.config().type().wireName(), info.users(), info.config().metadata())).toList();
        in.reply(new RoomReplies.Listing(listed, page.size() > size));
    }

    private void presence(DefaultInbound<CommandData> in, DefaultConnection connection, String room) {
        rooms.stored(room);
        requireMember(connection, room);
        List<RoomReplies.Present> users = rooms.presence(room).entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new RoomReplies.Present(e.getKey(), e.getValue().wireName())).toList();
        in.reply(new RoomReplies.Presence(room, users));
    }

    private void history(DefaultInbound<CommandData> in, DefaultConnection connection, String room, CommandData data) {
        Long since = data.integer("since", 0, Long.MAX_VALUE);
        String epoch = data.string("epoch");
        Long limit = data.integer("limit", 1, MAX_HISTORY_PAGE);
        rooms.stored(room);
        requireMember(connection, room);
        long budget = config.get().get(Settings.OUTBOUND_MAX_BYTES) - HISTORY_ENVELOPE_CHARS;
        RoomStore.History history = rooms.history(connection, room, since,
                limit == null ? DEFAULT_HISTORY_PAGE : limit.intValue(), budget);
        boolean recovered = history.complete() && (epoch == null || history.epoch().equals(epoch));
        // Without since the caller asks for what is kept, and gets it even when older messages are gone; with one,
        // for exactly what followed it, all or nothing.
        boolean given = recovered || since == null;
        if (given && history.frames().isEmpty() && history.more()) {
            throw new RoomException(ErrorCode.TOO_LARGE, "The next message is larger than this connection's "
                    + "outbound bound");
        }
        in.replyJson(envelopes.historyData(room, history.epoch(), history.offset(), recovered,
                given && history.more(), given ? history.frames() : List.of()));
    }

    private static void requireMember(DefaultConnection connection, String room) {
        if (!connection.rooms().contains(room)) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Join room '" + room + "' first");
        }
    }

    private static String user(CommandData data) {
        String user = data.string("user");
        String problem = UserNames.problem(user);
        if (problem != null) {
            throw new CommandData.Invalid("user", problem);
        }
        return user;
    }

    private static Subject subject(CommandData data) {
        String user = data.string("user");
        String ip = data.string("ip");
        if ((user == null) == (ip == null)) {
            throw new CommandData.Invalid("user", "name exactly one of user or ip");
        }
        if (user != null) {
            return Subject.user(user(data));
        }
        String address = ClientAddress.literal(ip);
        if (address == null) {
            throw new CommandData.Invalid("ip", "must be an IPv4 or IPv6 address");
        }
        return Subject.ip(address);
    }

    private static RoomReplies.Done done(String room, Subject subject, String role) {
        boolean user = subject.kind() == Subject.Kind.USER;
        return new RoomReplies.Done(room, user ? subject.value() : null, user ? null : subject.value(), role);
    }

    private static Duration duration(CommandData data) {
        Long seconds = data.integer("seconds", 1, MAX_SECONDS);
        return seconds == null ? null : Duration.ofSeconds(seconds);
    }

    private static void found(boolean found, String otherwise) {
        if (!found) {
            throw new RoomException(ErrorCode.NOT_FOUND, otherwise);
        }
    }

    private static <T> T parse(Supplier<T> parser, String field, String expected) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new CommandData.Invalid(field, expected);
        }
    }

    /**
     * Answers a join under the room's lock, only while the connection is still present: a ban or kick that
     * removed it meanwhile has queued its {@code $room.left}, so a success reply would come after it and
     * contradict it.
     */
    private void replyJoined(DefaultInbound<CommandData> in, DefaultConnection connection, String room,
                             LocalRooms.Joined joined) {
        RoomInfo info = joined.info();
        if (!rooms.whilePresent(connection, room, () -> in.reply(new RoomReplies.Membership(room,
                rooms.memberCount(room), info.users(), info.epoch(), info.offset(), joined.role().wireName(),
                joined.recovered())))) {
            throw new RoomException(ErrorCode.FORBIDDEN, "Removed from room '" + room + "' while joining");
        }
    }
}
