package dev.covet.websocket.impl.cluster;

import java.util.List;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script run by its SHA1 (one short command per call), sent in full only when Redis does not know it yet (after
 * a restart or a failover).
 */
final class Script {

    private final String source;
    private volatile String sha;

    Script(String source) {
        this.source = source;
    }

    Object run(UnifiedJedis client, List<String> keys, List<String> args) {
        String known = sha;
        if (known != null) {
            try {
                return client.evalsha(known, keys, args);
            } catch (JedisNoScriptException e) {
                sha = null;
            }
        }
        Object result = client.eval(source, keys, args);
        sha = client.scriptLoad(source, keys.isEmpty() ? "" : keys.get(0));
        return result;
    }
}
