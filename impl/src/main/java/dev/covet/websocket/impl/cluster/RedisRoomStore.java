package dev.covet.websocket.impl.cluster;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import redis.clients.jedis.exceptions.JedisException;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;
import dev.covet.websocket.room.Subject;
import dev.covet.websocket.spi.RoomStore;
import dev.covet.websocket.impl.json.JsonText;

/**
 * Room state in Redis, shared by every node: a hash per room (configuration, owner, epoch, last offset), hashes of
 * roles, invitations, bans, mutes, recovery floors and presence, and a capped list of the last messages. Appending a
 * message is one script that takes the next offset, keeps the frame and publishes it on the room's channel, so the
 * channel's order is the offset order on every node and a message is never published without being kept.
 *
 * <p>A Redis failure becomes a {@link RoomException} with code {@code unavailable}, so that a client is told and
 * may retry; nothing is half-applied by a script.
 */
final class RedisRoomStore implements RoomStore {

    private final Redis redis;
    private final Supplier<CovetConfig> config;
    /**
     * The {@code node/room} pairs known to be in the node's list of rooms with presence, so that a node's first
     * member of a room lists it once, before entering (a node lost in between then still has the room cleared).
     */
    private final Set<String> listed = ConcurrentHashMap.newKeySet();

    RedisRoomStore(Redis redis, Supplier<CovetConfig> config) {
        this.redis = redis;
        this.config = config;
    }

    /** Every key of a room, its hash first. */
    private List<String> keys(String room) {
        return List.of(redis.key(room, "room"), redis.key(room, "roles"), redis.key(room, "inv"),
                redis.key(room, "ban"), redis.key(room, "mute"), redis.key(room, "floor"), redis.key(room, "hist"),
                redis.key(room, "present"), redis.key(room, "nodes"));
    }

    private List<String> nameKeys() {
        return List.of(redis.key("rooms"), redis.key("owned"));
    }

    private <T> T call(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisException e) {
            throw new RoomException(ErrorCode.UNAVAILABLE, "Room state is unavailable for now; retry later");
        }
    }

    /**
     * Claims the name (with the limits), then writes the room; when the second step fails the name is given back.
     * Between the two another node finds the name taken but no room yet, as if it were being deleted.
     */
    @Override
    public Created create(StoredRoom room, int maxPerOwner) {
        String owner = room.owner() == null ? "" : room.owner();
        Created claimed = Created.valueOf((String) call(() -> RoomScripts.CLAIM_NAME.run(redis.client(), nameKeys(),
                List.of(room.room(), owner, Integer.toString(maxPerOwner),
                        Integer.toString(config.get().get(Settings.ROOMS_MAX))))));
        if (claimed != Created.CREATED) {
            return claimed;
        }
        try {
            RoomScripts.CREATE.run(redis.client(), keys(room.room()), List.of(configJson(room.config()), owner,
                    room.epoch(), Integer.toString(room.config().historySize())));
        } catch (JedisException e) {
            call(() -> RoomScripts.RELEASE_NAME.run(redis.client(), nameKeys(), List.of(room.room(), owner)));
            throw new RoomException(ErrorCode.UNAVAILABLE, "Room state is unavailable for now; retry later");
        }
        return Created.CREATED;
    }

    @Override
    public Optional<StoredRoom> room(String room) {
        List<String> fields = call(() -> redis.client().hmget(redis.key(room, "room"), "config", "owner", "epoch"));
        if (fields.get(0) == null) {
            return Optional.empty();
        }
        String owner = fields.get(1);
        return Optional.of(new StoredRoom(room, config(fields.get(0)), owner == null || owner.isEmpty() ? null : owner,
                fields.get(2)));
    }

    @Override
    public Set<String> rooms() {
        return call(() -> redis.client().smembers(redis.key("rooms")));
    }

    /** Gives the name back, then removes the room's keys (on Redis Cluster, another shard's). */
    @Override
    public boolean delete(String room) {
        String owner = call(() -> redis.client().hget(redis.key(room, "room"), "owner"));
        boolean claimed = (Long) call(() -> RoomScripts.RELEASE_NAME.run(redis.client(), nameKeys(),
                List.of(room, owner == null ? "" : owner))) == 1L;
        call(() -> redis.client().del(keys(room).toArray(String[]::new)));
        return claimed;
    }

    @Override
    public Optional<RoomRole> role(String room, String user) {
        return Optional.ofNullable(call(() -> redis.client().hget(redis.key(room, "roles"), user)))
                .map(RoomRole::valueOf);
    }

    @Override
    public Map<String, RoomRole> roles(String room) {
        Map<String, RoomRole> roles = new HashMap<>();
        call(() -> redis.client().hgetAll(redis.key(room, "roles"))).forEach((user, role) ->
                roles.put(user, RoomRole.valueOf(role)));
        return Map.copyOf(roles);
    }

    @Override
    public void role(String room, String user, RoomRole role) {
        if (role == null) {
            call(() -> redis.client().hdel(redis.key(room, "roles"), user));
        } else {
            setIfRoom(room, "roles", user, role.name());
        }
    }

    private void setIfRoom(String room, String part, String field, String value) {
        call(() -> RoomScripts.SET_IF_ROOM.run(redis.client(), List.of(redis.key(room, "room"), redis.key(room, part)),
                List.of(field, value)));
    }

    @Override
    public void invite(String room, String user, Instant expiresAt) {
        setIfRoom(room, "inv", user, expiresAt == null ? "-" : Long.toString(expiresAt.toEpochMilli()));
    }

    @Override
    public boolean takeInvitation(String room, String user, Instant now) {
        String expires = (String) call(() -> RoomScripts.TAKE.run(redis.client(), List.of(redis.key(room, "inv")),
                List.of(user)));
        return expires != null && ("-".equals(expires) || now.toEpochMilli() < Long.parseLong(expires));
    }

    private static String part(Restriction kind) {
        return kind == Restriction.BAN ? "ban" : "mute";
    }

    private static String field(Subject subject) {
        return subject.kind().name() + ":" + subject.value();
    }

    @Override
    public void restrict(String room, Restriction kind, Restricted entry) {
        setIfRoom(room, part(kind), field(entry.subject()), (entry.until() == null ? "-"
                : Long.toString(entry.until().toEpochMilli())) + "|"
                + (entry.setBy() == null ? "" : entry.setBy().name()));
    }

    @Override
    public boolean lift(String room, Restriction kind, Subject subject) {
        return call(() -> redis.client().hdel(redis.key(room, part(kind)), field(subject))) == 1L;
    }

    @Override
    public boolean full(String room, Entries kind, int max, Instant now) {
        String part = switch (kind) {
            case ROLES -> "roles";
            case INVITATIONS -> "inv";
            case BANS -> "ban";
            case MUTES -> "mute";
            case FLOORS -> "floor";
        };
        Object full = call(() -> RoomScripts.FULL.run(redis.client(), List.of(redis.key(room, "room"),
                redis.key(room, part), redis.key(room, "hist"), redis.key(room, "ban")), List.of(kind.name(),
                Integer.toString(max), Long.toString(now.toEpochMilli()), Long.toString(Long.MAX_VALUE))));
        return Long.valueOf(1L).equals(full);
    }

    @Override
    public List<Restricted> restrictions(String room, Restriction kind, Collection<Subject> subjects, Instant now) {
        List<Subject> asked = List.copyOf(subjects);
        if (asked.isEmpty()) {
            return List.of();
        }
        String key = redis.key(room, part(kind));
        List<String> values = call(() -> redis.client().hmget(key, asked.stream().map(RedisRoomStore::field)
                .toArray(String[]::new)));
        List<Restricted> inForce = new ArrayList<>(1);
        for (int i = 0; i < asked.size(); i++) {
            String value = values.get(i);
            if (value == null) {
                continue;
            }
            int bar = value.indexOf('|');
            String until = value.substring(0, bar);
            String setBy = value.substring(bar + 1);
            Instant lapses = "-".equals(until) ? null : Instant.ofEpochMilli(Long.parseLong(until));
            if (lapses != null && !now.isBefore(lapses)) {
                continue;
            }
            inForce.add(new Restricted(asked.get(i), lapses, setBy.isEmpty() ? null : RoomRole.valueOf(setBy)));
        }
        return inForce;
    }

    @Override
    public Appended append(String room, String head, String tail) {
        List<?> result = (List<?>) call(() -> RoomScripts.APPEND.run(redis.client(),
                List.of(redis.key(room, "room"), redis.key(room, "hist")),
                List.of(head, tail, redis.nodeId(), redis.channel(room), redis.publishCommand())));
        return new Appended((Long) result.get(0), (String) result.get(1));
    }

    @Override
    public OptionalLong offset(String room) {
        String offset = call(() -> redis.client().hget(redis.key(room, "room"), "offset"));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(offset));
    }

    @Override
    public Optional<History> since(String room, long after, int maxFrames, long maxChars) {
        List<?> result = (List<?>) call(() -> RoomScripts.SINCE.run(redis.client(),
                List.of(redis.key(room, "room"), redis.key(room, "hist")),
                List.of(Long.toString(after), Integer.toString(maxFrames))));
        if (result == null) {
            return Optional.empty();
        }
        String epoch = (String) result.get(0);
        long offset = (Long) result.get(1);
        boolean complete = (Long) result.get(2) == 1L;
        List<String> frames = new ArrayList<>();
        boolean more = false;
        long chars = 0;
        for (Object kept : result.subList(3, result.size())) {
            String frame = (String) kept;
            if (frames.size() == maxFrames || chars + frame.length() > maxChars) {
                more = true;
                break;
            }
            frames.add(frame);
            chars += frame.length();
        }
        return Optional.of(new History(epoch, offset, complete, List.copyOf(frames), more));
    }

    @Override
    public void recoveryFloor(String room, String user, long offset) {
        setIfRoom(room, "floor", user, Long.toString(offset));
    }

    @Override
    public OptionalLong recoveryFloor(String room, String user) {
        String floor = call(() -> redis.client().hget(redis.key(room, "floor"), user));
        return floor == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(floor));
    }

    @Override
    public int enter(String room, String node, String user) {
        return presence(room, node, user, 1);
    }

    @Override
    public int exit(String room, String node, String user) {
        return presence(room, node, user, -1);
    }

    private int presence(String room, String node, String user, int delta) {
        if (delta > 0) {
            list(room, node, true);
        }
        List<?> counts = (List<?>) call(() -> RoomScripts.PRESENCE.run(redis.client(), presenceKeys(room),
                List.of(node, user, Integer.toString(delta))));
        if ((Long) counts.get(1) == 0L) {
            list(room, node, false);
        }
        return ((Long) counts.get(0)).intValue();
    }

    /** Adds a room to, or removes it from, the rooms where a node has presence (another shard on Redis Cluster). */
    private void list(String room, String node, boolean present) {
        String pair = node + "/" + room;
        if (present && !listed.contains(pair)) {
            call(() -> redis.client().sadd(roomsKey(node), room));
            listed.add(pair);
        } else if (!present) {
            listed.remove(pair);
            call(() -> redis.client().srem(roomsKey(node), room));
        }
    }

    private List<String> presenceKeys(String room) {
        return List.of(redis.key(room, "room"), redis.key(room, "present"), redis.key(room, "nodes"));
    }

    private String roomsKey(String node) {
        return redis.key("node:" + node + ":rooms");
    }

    @Override
    public Set<String> roomsOf(String node) {
        return call(() -> redis.client().smembers(roomsKey(node)));
    }

    @Override
    public Set<String> resync(String room, String node, Map<String, Integer> connections) {
        List<String> args = new ArrayList<>();
        args.add(node);
        connections.forEach((user, count) -> {
            args.add(user);
            args.add(Integer.toString(count));
        });
        if (!connections.isEmpty()) {
            listed.remove(node + "/" + room);
            list(room, node, true);
        }
        List<?> result = (List<?>) call(() -> RoomScripts.RESYNC.run(redis.client(), presenceKeys(room), args));
        if ((Long) result.get(0) <= 0L) {
            list(room, node, false);
        }
        Set<String> users = new HashSet<>();
        result.subList(1, result.size()).forEach(user -> users.add((String) user));
        return users;
    }

    @Override
    public Set<String> present(String room) {
        return call(() -> redis.client().hkeys(redis.key(room, "present")));
    }

    @Override
    public int presentCount(String room) {
        return call(() -> redis.client().hlen(redis.key(room, "present"))).intValue();
    }

    @Override
    public boolean isPresent(String room, String user) {
        return call(() -> redis.client().hexists(redis.key(room, "present"), user));
    }

    static String configJson(RoomConfig config) {
        JsonObjectBuilder metadata = JsonText.objectBuilder();
        config.metadata().forEach(metadata::add);
        return JsonText.objectBuilder().add("type", config.type().name()).add("maxMembers", config.maxMembers())
                .add("historySize", config.historySize()).add("postPolicy", config.postPolicy().name())
                .add("metadata", metadata).build().toString();
    }

    static RoomConfig config(String json) {
        try (var reader = JsonText.reader(json)) {
            JsonObject object = reader.readObject();
            Map<String, String> metadata = new HashMap<>();
            object.getJsonObject("metadata").forEach((key, value) -> metadata.put(key,
                    ((jakarta.json.JsonString) value).getString()));
            return new RoomConfig(RoomType.valueOf(object.getString("type")), object.getInt("maxMembers"),
                    object.getInt("historySize"), RoomRole.valueOf(object.getString("postPolicy")), metadata);
        }
    }
}
