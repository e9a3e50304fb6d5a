package dev.covet.benchmarks.jmh;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;

import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import dev.covet.websocket.impl.config.ConfigSource;
import dev.covet.websocket.impl.config.CovetConfig;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.connection.OutboundLimits;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The library's beans in Weld SE with a configuration, and connections over a session whose sends complete at
 * once: what the microbenchmarks measure around, so that only Covet's own work is timed.
 */
final class BenchmarkRuntime implements AutoCloseable {

    private final AtomicLong sent = new AtomicLong();
    private final WeldContainer weld;
    private final CovetConfig config;

    BenchmarkRuntime(Map<String, String> settings) throws DeploymentException {
        weld = new Weld().containerId("covet-jmh-" + System.nanoTime()).initialize();
        Map<String, String> all = new HashMap<>(settings);
        all.put("covet.auth.anonymous", "true");
        config = CovetConfig.load(ConfigSource.standard(all::get));
        weld.select(CurrentConfig.class).get().set(config);
    }

    <T> T bean(Class<T> type) {
        return weld.select(type).get();
    }

    /** @return characters handed to the fake socket so far, for JMH to consume */
    long sent() {
        return sent.get();
    }

    DefaultConnection connection(String id) {
        // As the endpoint builds it: with the beans themselves, not their client proxies.
        return new DefaultConnection(session(id), null, null, bean(Envelopes.class).unproxied().get(),
                bean(Counters.class).unproxied().get(),
                OutboundLimits.of(config), config, bean(ConnectionRegistry.class).closers(), System.nanoTime());
    }

    private Session session(String id) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        sent.addAndGet(((String) args[0]).length());
                        ((SendHandler) args[1]).onResult(new SendResult());
                    }
                    return null;
                });
        Map<String, Object> properties = new HashMap<>();
        return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAsyncRemote" -> remote;
                    case "getId" -> id;
                    case "getUserProperties" -> properties;
                    case "isOpen" -> true;
                    default -> null;
                });
    }

    @Override
    public void close() {
        weld.shutdown();
    }
}
