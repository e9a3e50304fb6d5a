package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.covet.websocket.CovetHealth;
import dev.covet.websocket.CovetStats;

/**
 * A Redis that requires an ACL user: the node connects with the credentials of its URI (commands, scripts and the
 * subscriber), and with wrong ones it stays up, reports the cluster down, and never shows the password.
 */
class ClusterAclTest {

    private static final String[] ACL = {"--user", "default", "off", "--user",
        "covet", "on", ">s3cret-pass", "~covet:*", "&covet:*", "+@all", "-@dangerous"};

    @Test
    void aNodeWorksAsAnAclUserLimitedToItsKeysAndChannels() throws Exception {
        try (RedisProcess redis = RedisProcess.start(ACL);
             TestServer server = TestServer.start(Map.of("covet.cluster.redis.uri",
                     "redis://covet:s3cret-pass@127.0.0.1:" + redis.port()), TestHandlers.ALL);
             WireClient client = WireClient.withToken(server.uri(), "acl-user")) {
            client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"acl\"}}");
            assertThat(client.nextIgnoringNotices()).contains("\"replyTo\":\"j\"").doesNotContain("error");
            client.send("{\"event\":\"room.say\",\"data\":{\"text\":\"hi\",\"tag\":\"acl\"}}");
            assertThat(client.nextIgnoringNotices()).contains("\"offset\":1");
            assertThat(server.bean(CovetStats.class).snapshot().cluster().state()).isEqualTo("up");
        }
    }

    @Test
    void wrongCredentialsLeaveTheClusterDownWithoutShowingThePassword() throws Exception {
        try (RedisProcess redis = RedisProcess.start(ACL);
             TestServer server = TestServer.start(Map.of("covet.cluster.redis.uri",
                     "redis://covet:wrong-pass@127.0.0.1:" + redis.port()), TestHandlers.ALL)) {
            assertThat(server.bean(CovetHealth.class).readiness().up()).isFalse();
            CovetStats.Cluster cluster = server.bean(CovetStats.class).snapshot().cluster();
            assertThat(cluster.state()).isEqualTo("down");
            assertThat(String.valueOf(cluster.lastError())).doesNotContain("wrong-pass");
            try (WireClient client = WireClient.withToken(server.uri(), "acl-user")) {
                client.send("{\"event\":\"$room.join\",\"id\":\"j\",\"data\":{\"room\":\"acl\"}}");
                assertThat(client.nextIgnoringNotices()).contains("\"unavailable\"");
            }
        }
    }
}
