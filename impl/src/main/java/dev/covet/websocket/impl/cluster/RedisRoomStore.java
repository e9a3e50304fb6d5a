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

    /**
     * KEYS: rooms, owned. ARGV: room, owner or '', most rooms per owner, most rooms. Claims the room's name, counted
     * for its owner; the room's own keys (another shard on Redis Cluster) are written next.
     */
    private static final Script CLAIM_NAME = new Script("""
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'EXISTS' end
            if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 'STORE_LIMIT' end
            if ARGV[2] ~= '' then
              if tonumber(redis.call('HGET', KEYS[2], ARGV[2]) or '0') >= tonumber(ARGV[3]) then
                return 'OWNER_LIMIT'
              end
              redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
            end
            redis.call('SADD', KEYS[1], ARGV[1])
            return 'CREATED'
            """);
    /** KEYS: rooms, owned. ARGV: room, owner or ''. Gives a room's name back; 1 when it was claimed. */
    private static final Script RELEASE_NAME = new Script("""
            if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
            if ARGV[2] ~= '' and redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
              redis.call('HDEL', KEYS[2], ARGV[2])
            end
            return 1
            """);
    /** KEYS: the room's keys, its hash first. ARGV: config, owner, epoch, history size. A new room, nothing left over. */
    private static final Script CREATE = new Script("""
            redis.call('DEL', unpack(KEYS))
            redis.call('HSET', KEYS[1], 'config', ARGV[1], 'owner', ARGV[2], 'epoch', ARGV[3], 'offset', 0,
              'history', ARGV[4])
            return 1
            """);
    /**
     * KEYS: room, history. ARGV: head, tail, node, channel, publish command. Takes the next offset, keeps the frame
     * within the room's history size and publishes it; returns {offset, frame}, offset 0 without such room.
     */
    private static final Script APPEND = new Script("""
            local size = tonumber(redis.call('HGET', KEYS[1], 'history'))
            if not size then return {0, ARGV[1] .. '0' .. ARGV[2]} end
            local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
            local frame = ARGV[1] .. offset .. ARGV[2]
            if size > 0 then
              redis.call('RPUSH', KEYS[2], frame)
              redis.call('LTRIM', KEYS[2], -size, -1)
            end
            redis.call(ARGV[5], ARGV[4], 'm ' .. ARGV[3] .. ' ' .. offset .. '\\n' .. frame)
            return {offset, frame}
            """);
    /**
     * KEYS: room, history. ARGV: after, most frames. Returns {epoch, offset, complete, frames...} or nil; the frames
     * kept after {@code after} (plus one, to tell whether more follow), also when some before them are gone.
     */
    private static final Script SINCE = new Script("""
            local room = redis.call('HMGET', KEYS[1], 'epoch', 'offset')
            if not room[1] then return nil end
            local offset = tonumber(room[2])
            local kept = redis.call('LLEN', KEYS[2])
            local after = tonumber(ARGV[1])
            local oldest = offset - kept + 1
            local result = {room[1], offset, 0}
            if after > offset then return result end
            local first = 0
            if after >= oldest - 1 then
              result[3] = 1
              first = after - oldest + 1
            end
            local last = math.min(kept - 1, first + tonumber(ARGV[2]))
            if first <= last then
              for i, frame in ipairs(redis.call('LRANGE', KEYS[2], first, last)) do result[3 + i] = frame end
            end
            return result
            """);
    /** KEYS: room, hash. ARGV: field, value. Sets the field only while the room exists. */
    private static final Script SET_IF_ROOM = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """);
    /**
     * KEYS: room, the entries, history, bans. ARGV: kind, max, now (ms), the floor of a banned user. Returns 1 when the
     * room keeps max entries or more once lapsed invitations, bans and mutes and idle recovery floors are dropped.
     */
    private static final Script FULL = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            local max = tonumber(ARGV[2])
            if redis.call('HLEN', KEYS[2]) < max then return 0 end
            local kind = ARGV[1]
            local now = tonumber(ARGV[3])
            local function lapsed(value)
              local bar = string.find(value, '|', 1, true)
              local ends = bar and string.sub(value, 1, bar - 1) or value
              return ends ~= '-' and tonumber(ends) <= now
            end
            local all = redis.call('HGETALL', KEYS[2])
            if kind == 'INVITATIONS' or kind == 'BANS' or kind == 'MUTES' then
              for i = 1, #all, 2 do
                if lapsed(all[i + 1]) then redis.call('HDEL', KEYS[2], all[i]) end
              end
            elseif kind == 'FLOORS' then
              local offset = tonumber(redis.call('HGET', KEYS[1], 'offset') or '0')
              local oldest = offset - redis.call('LLEN', KEYS[3]) + 1
              for i = 1, #all, 2 do
                local floor = all[i + 1]
                if floor == ARGV[4] then
                  local ban = redis.call('HGET', KEYS[4], 'USER:' .. all[i])
                  if not ban or lapsed(ban) then
                    floor = tostring(offset)
                    redis.call('HSET', KEYS[2], all[i], floor)
                  end
                end
                if floor ~= ARGV[4] and tonumber(floor) <= oldest - 1 then redis.call('HDEL', KEYS[2], all[i]) end
              end
            end
            if redis.call('HLEN', KEYS[2]) >= max then return 1 end
            return 0
            """);
    /** KEYS: hash. ARGV: field. Returns the removed value or nil. */
    private static final Script TAKE = new Script("""
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if value then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return value
            """);
    /**
     * KEYS: room, present (user -> connections), by node ({@code node/user} -> connections, {@code #node} -> the
     * node's connections). ARGV: node, user, +1 or -1. Returns {the user's connections now, the node's}.
     */
    private static final Script PRESENCE = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0} end
            local delta = tonumber(ARGV[3])
            local mine = ARGV[1] .. '/' .. ARGV[2]
            if redis.call('HINCRBY', KEYS[3], mine, delta) <= 0 then redis.call('HDEL', KEYS[3], mine) end
            local here = redis.call('HINCRBY', KEYS[3], '#' .. ARGV[1], delta)
            if here <= 0 then redis.call('HDEL', KEYS[3], '#' .. ARGV[1]) here = 0 end
            local count = redis.call('HINCRBY', KEYS[2], ARGV[2], delta)
            if count <= 0 then redis.call('HDEL', KEYS[2], ARGV[2]) count = 0 end
            return {count, here}
            """);
    /**
     * KEYS as {@link #PRESENCE}. ARGV: node, then user and connections pairs: the node's presence as it is. Returns
     * {the node's connections (-1 without such room), the users no longer present on any node...}.
     */
    private static final Script RESYNC = new Script("""
            local node = ARGV[1]
            if redis.call('EXISTS', KEYS[1]) == 0 then return {-1} end
            local want, total = {}, 0
            for i = 2, #ARGV, 2 do
              want[ARGV[i]] = tonumber(ARGV[i + 1])
              total = total + tonumber(ARGV[i + 1])
            end
            local have = {}
            local fields = redis.call('HGETALL', KEYS[3])
            local prefix = node .. '/'
            for i = 1, #fields, 2 do
              if string.sub(fields[i], 1, #prefix) == prefix then
                have[string.sub(fields[i], #prefix + 1)] = tonumber(fields[i + 1])
              end
            end
            local result = {total}
            local function apply(user, delta)
              if delta == 0 then return end
              local count = redis.call('HINCRBY', KEYS[2], user, delta)
              if count <= 0 then
                redis.call('HDEL', KEYS[2], user)
                result[#result + 1] = user
              end
            end
            for user, count in pairs(have) do
              apply(user, (want[user] or 0) - count)
              redis.call('HDEL', KEYS[3], prefix .. user)
            end
            for user, count in pairs(want) do
              if not have[user] then apply(user, count) end
              redis.call('HSET', KEYS[3], prefix .. user, count)
            end
            if total > 0 then
              redis.call('HSET', KEYS[3], '#' .. node, total)
            else
              redis.call('HDEL', KEYS[3], '#' .. node)
            end
            return result
            """);

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
        Created claimed = Created.valueOf((String) call(() -> CLAIM_NAME.run(redis.client(), nameKeys(),
                List.of(room.room(), owner, Integer.toString(maxPerOwner),
                        Integer.toString(config.get().get(Settings.ROOMS_MAX))))));
        if (claimed != Created.CREATED) {
            return claimed;
        }
        try {
            CREATE.run(redis.client(), keys(room.room()), List.of(configJson(room.config()), owner, room.epoch(),
                    Integer.toString(room.config().historySize())));
        } catch (JedisException e) {
            call(() -> RELEASE_NAME.run(redis.client(), nameKeys(), List.of(room.room(), owner)));
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
        boolean claimed = (Long) call(() -> RELEASE_NAME.run(redis.client(), nameKeys(),
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
        call(() -> SET_IF_ROOM.run(redis.client(), List.of(redis.key(room, "room"), redis.key(room, part)),
                List.of(field, value)));
    }

    @Override
    public void invite(String room, String user, Instant expiresAt) {
        setIfRoom(room, "inv", user, expiresAt == null ? "-" : Long.toString(expiresAt.toEpochMilli()));
    }

    @Override
    public boolean takeInvitation(String room, String user, Instant now) {
        String expires = (String) call(() -> TAKE.run(redis.client(), List.of(redis.key(room, "inv")),
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
                : Long.toString(entry.until().toEpochMilli())) + "|" + (entry.setBy() == null ? "" : entry.setBy().name()));
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
        Object full = call(() -> FULL.run(redis.client(), List.of(redis.key(room, "room"), redis.key(room, part),
                redis.key(room, "hist"), redis.key(room, "ban")), List.of(kind.name(), Integer.toString(max),
                Long.toString(now.toEpochMilli()), Long.toString(Long.MAX_VALUE))));
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
        List<?> result = (List<?>) call(() -> APPEND.run(redis.client(),
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
        List<?> result = (List<?>) call(() -> SINCE.run(redis.client(),
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
        List<?> counts = (List<?>) call(() -> PRESENCE.run(redis.client(), presenceKeys(room),
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
        List<?> result = (List<?>) call(() -> RESYNC.run(redis.client(), presenceKeys(room), args));
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
