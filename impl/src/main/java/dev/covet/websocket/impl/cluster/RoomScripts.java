package dev.covet.websocket.impl.cluster;

/**
 * The Lua scripts of {@link RedisRoomStore}: each changes or reads one room's keys (or the cluster-wide name list) in
 * one atomic step, so that nothing is half-applied and, on Redis Cluster, no script touches two shards. Kept apart
 * from the store's Java side, which says when each runs.
 */
final class RoomScripts {

    /**
     * KEYS: rooms, owned. ARGV: room, owner or '', most rooms per owner, most rooms. Claims the room's name, counted
     * for its owner; the room's own keys (another shard on Redis Cluster) are written next.
     */
    static final Script CLAIM_NAME = new Script("""
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
    static final Script RELEASE_NAME = new Script("""
            if redis.call('SREM', KEYS[1], ARGV[1]) == 0 then return 0 end
            if ARGV[2] ~= '' and redis.call('HINCRBY', KEYS[2], ARGV[2], -1) <= 0 then
              redis.call('HDEL', KEYS[2], ARGV[2])
            end
            return 1
            """);
    /**
     * KEYS: the room's keys, its hash first. ARGV: config, owner, epoch, history size. A new room, nothing left over.
     */
    static final Script CREATE = new Script("""
            redis.call('DEL', unpack(KEYS))
            redis.call('HSET', KEYS[1], 'config', ARGV[1], 'owner', ARGV[2], 'epoch', ARGV[3], 'offset', 0,
              'history', ARGV[4])
            return 1
            """);
    /**
     * KEYS: room, history. ARGV: head, tail, node, channel, publish command. Takes the next offset, keeps the frame
     * within the room's history size and publishes it; returns {offset, frame}, offset 0 without such room.
     */
    static final Script APPEND = new Script("""
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
    static final Script SINCE = new Script("""
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
    static final Script SET_IF_ROOM = new Script("""
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
            return 1
            """);
    /**
     * KEYS: room, the entries, history, bans. ARGV: kind, max, now (ms), the floor of a banned user. Returns 1 when the
     * room keeps max entries or more once lapsed invitations, bans and mutes and idle recovery floors are dropped.
     */
    static final Script FULL = new Script("""
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
    static final Script TAKE = new Script("""
            local value = redis.call('HGET', KEYS[1], ARGV[1])
            if value then redis.call('HDEL', KEYS[1], ARGV[1]) end
            return value
            """);
    /**
     * KEYS: room, present (user -> connections), by node ({@code node/user} -> connections, {@code #node} -> the
     * node's connections). ARGV: node, user, +1 or -1. Returns {the user's connections now, the node's}.
     */
    static final Script PRESENCE = new Script("""
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
    static final Script RESYNC = new Script("""
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

    private RoomScripts() {
    }
}
