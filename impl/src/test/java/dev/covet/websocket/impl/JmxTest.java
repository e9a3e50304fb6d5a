package dev.covet.websocket.impl;

import static dev.covet.websocket.impl.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;
import java.time.Duration;
import java.util.Map;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.Test;

/** The deployment's counters as an MBean, read over a real JMX connection, and gone when the application stops. */
class JmxTest {

    private static final ObjectName NAME = name("dev.covet:type=Covet,app=\"/\"");

    @Test
    void theCountersAreReadableOverJmxAndUnregisteredWhenTheApplicationStops() throws Exception {
        int port = freePort();
        Registry registry = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        JMXConnectorServer jmx = JMXConnectorServerFactory.newJMXConnectorServer(url, null,
                ManagementFactory.getPlatformMBeanServer());
        jmx.start();
        try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
            MBeanServerConnection remote = connector.getMBeanServerConnection();
            try (TestServer server = TestServer.start(Map.of(), TestHandlers.ALL)) {
                assertThat(remote.isRegistered(NAME)).isTrue();
                long openedBefore = (Long) remote.getAttribute(NAME, "Opened");
                try (WireClient client = WireClient.withToken(server.uri(), "jmx")) {
                    request(client, "ping", "null");
                    assertThat((Long) remote.getAttribute(NAME, "Open")).isEqualTo(1L);
                    assertThat((Long) remote.getAttribute(NAME, "Opened")).isEqualTo(openedBefore + 1);
                    assertThat((Long) remote.getAttribute(NAME, "MessagesIn")).isPositive();
                    // Recorded just after the handler returns, so possibly after its answer arrived.
                    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(((TabularData) remote
                            .getAttribute(NAME, "HandlerCalls")).get(new Object[] {"ping"}).get("value"))
                            .as("ping handler calls").isEqualTo(1L));
                }
                try (WireClient refused = WireClient.connect(server.uri(), Map.of())) {
                    refused.closeCode();
                }
                TabularData refusals = (TabularData) remote.getAttribute(NAME, "Refused");
                assertThat(refusals.toString()).contains("unauthorized");
            }
            assertThat(remote.isRegistered(NAME)).as("after the application stopped").isFalse();
        } finally {
            jmx.stop();
            UnicastRemoteObject.unexportObject(registry, true);
        }
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
