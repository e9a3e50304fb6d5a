package dev.covet.websocket.impl.routing;

import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.RequestContextController;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.bind.JsonbException;
import jakarta.validation.Validator;

import dev.covet.websocket.Connected;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.room.RoomException;
import dev.covet.websocket.InboundInterceptor;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.Verdict;
import dev.covet.websocket.impl.config.CurrentConfig;
import dev.covet.websocket.impl.config.Settings;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.BadEnvelopeException;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;

/**
 * Routes every inbound frame: decode, interceptors, built-ins or route lookup, bind, validate, dispatch.
 *
 * <p>Application-scoped and thread-safe. Synchronous observers run on the container thread that received the
 * frame; {@code @ObservesAsync} observers run on the library's bounded pool. Either way the request context is
 * active during the handler when the deployment has {@code @RequestScoped} beans (activating it costs about 7% of
 * the echo path, so it is skipped when nothing could use it).
 */
@ApplicationScoped
public class Router {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());
    private static final Pattern PROPERTY = Pattern.compile("property '([A-Za-z0-9_$]{1,128})'");

    @Inject
    RouteExtension routes;
    private Envelopes envelopes;
    @Inject
    LocalRooms rooms;
    @Inject
    CurrentConfig config;
    @Inject
    Instance<InboundInterceptor> interceptorBeans;
    @Inject
    Instance<RequestContextController> requestContexts;
    @Inject
    Instance<Validator> validatorBean;
    @Inject
    ConnectionRegistry registry;
    @Inject
    Event<Connected> connectedEvents;
    @Inject
    Counters counters;

    private Map<String, Route> table;
    private boolean activateRequestContext;
    private List<InboundInterceptor> interceptors;
    private Builtins builtins;
    private PayloadValidation validation;
    private ExecutorService asyncPool;
    private final ScalarFields scalarFields = new ScalarFields();

    /** Keeps the envelope codec itself, not its proxy: it is called several times per frame. */
    @Inject
    void envelopes(Envelopes codec) {
        envelopes = codec.unproxied().get();
    }

    @PostConstruct
    void init() {
        table = routes.routes();
        activateRequestContext = routes.hasRequestScopedBeans();
        interceptors = interceptorBeans.handlesStream()
                .sorted(Comparator.comparingInt(h -> priority(h.getBean().getBeanClass())))
                .map(Instance.Handle::get)
                .toList();
        builtins = new Builtins(envelopes, new RoomCommands(envelopes, rooms, config::get), registry,
                connection -> connectedEvents.fire(new Connected(connection)), counters,
                () -> config.get().get(Settings.AUTH_MAX_FAILURES));
        validation = new PayloadValidation(validatorBean);
        asyncPool = Executors.newFixedThreadPool(config.get().get(Settings.ASYNC_THREADS), new AsyncThreads());
    }

    /**
     * This instance itself, for callers that hold it instead of its client proxy: the bean is application-scoped,
     * so the instance lasts as long as the deployment, and the proxy would look it up on every call (several calls
     * per frame on the message path). In a supplier, because a CDI proxy hands itself back from a method that
     * returns {@code this}.
     *
     * @return a supplier of this instance
     */
    public Supplier<Router> unproxied() {
        return () -> this;
    }

    /** Stops the {@code @ObservesAsync} threads: on undeploy, or when a standalone installation is closed. */
    @PreDestroy
    public void shutdown() {
        asyncPool.shutdownNow();
    }

    /** Routes a text frame. */
    public void onText(DefaultConnection connection, String text) {
        Envelopes.Decoded decoded;
        try {
            decoded = envelopes.decode(text);
        } catch (BadEnvelopeException e) {
            connection.sendError(e.id().orElse(null), ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        dispatch(connection, new InboundMessage(decoded.event(), decoded.id(), decoded.data(), connection), null);
    }

    /** Routes a binary frame. */
    public void onBinary(DefaultConnection connection, ByteBuffer frame) {
        Envelopes.DecodedBinary decoded;
        try {
            decoded = envelopes.decodeBinary(frame);
        } catch (BadEnvelopeException e) {
            connection.sendError(e.id().orElse(null), ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        }
        dispatch(connection, new InboundMessage(decoded.event(), decoded.id(), "null", connection), decoded.bytes());
    }

    /**
     * Answers a message refused by a rate limit with {@code rate_limited} and a retry hint, to its id when the
     * frame is a readable text envelope.
     *
     * @param connection the connection
     * @param text the text frame, or null for a binary one
     * @param waitNanos how long until the message would have been allowed
     */
    public void refuseRateLimited(DefaultConnection connection, String text, long waitNanos) {
        String replyTo = null;
        if (text != null) {
            try {
                replyTo = envelopes.decode(text).id().orElse(null);
            } catch (BadEnvelopeException e) {
                replyTo = e.id().orElse(null);
            }
        }
        connection.enqueue(envelopes.rateLimited(replyTo, Math.max(1, (waitNanos + 999_999) / 1_000_000)));
    }

    private void dispatch(DefaultConnection connection, InboundMessage original, byte[] bytes) {
        if (connection.credentials().pending() && !original.event().equals(Builtins.AUTH)) {
            connection.sendError(original.id().orElse(null), ErrorCode.UNAUTHORIZED,
                    "Authenticate first with " + Builtins.AUTH);
            return;
        }
        InboundMessage message = intercept(original);
        if (message == null) {
            return;
        }
        String replyTo = message.id().orElse(null);
        if (message.event().startsWith("$")) {
            builtins.handle(connection, message);
            return;
        }
        Route route = table.get(message.event());
        if (route == null) {
            connection.sendError(replyTo, ErrorCode.UNKNOWN_EVENT, "No handler for event '" + message.event() + "'");
            return;
        }
        if (!route.admits(connection.roles())) {
            connection.sendError(replyTo, ErrorCode.FORBIDDEN, "Event '" + message.event() + "' requires one of the "
                    + "roles " + new TreeSet<>(route.rolesAllowed()));
            return;
        }
        if (route.binary() != (bytes != null)) {
            connection.sendError(replyTo, ErrorCode.BAD_REQUEST, "Event '" + message.event() + "' takes "
                    + (route.binary() ? "a binary" : "a text") + " frame");
            return;
        }
        Bound payload = bytes != null ? new Bound(bytes) : bind(connection, message, route);
        if (payload == null) {
            return;
        }
        DefaultInbound<Object> in = new DefaultInbound<>(message.event(), message.id(), payload.value(), connection,
                envelopes, route.binary());
        if (route.observer().isAsync()) {
            try {
                asyncPool.execute(() -> invoke(route, in));
            } catch (RejectedExecutionException e) {
                in.failIfUnanswered();
            }
        } else {
            invoke(route, in);
        }
    }

    private InboundMessage intercept(InboundMessage original) {
        InboundMessage message = original;
        for (InboundInterceptor interceptor : interceptors) {
            Verdict verdict;
            try {
                verdict = interceptor.intercept(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Interceptor " + interceptor.getClass().getName()
                        + " failed on event '" + message.event() + "'", e);
                ((DefaultConnection) message.connection()).sendError(message.id().orElse(null),
                        ErrorCode.INTERNAL, "Internal server error");
                return null;
            }
            if (verdict.rejected()) {
                ((DefaultConnection) message.connection()).sendError(message.id().orElse(null),
                        verdict.errorCode().orElseThrow(), verdict.errorMessage().orElseThrow());
                return null;
            }
            message = verdict.rewritten().orElse(message);
        }
        return message;
    }

    /** A bound payload, which is null for {@code Inbound<Void>}. */
    private record Bound(Object value) {
    }

    /** @return the payload, or null after answering the client with the reason it could not be bound */
    private Bound bind(DefaultConnection connection, InboundMessage message, Route route) {
        String replyTo = message.id().orElse(null);
        if (route.payloadType() == Void.class) {
            return new Bound(null);
        }
        if ("null".equals(message.data())) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid data",
                    List.of(new Envelopes.Detail("", "must not be null"))));
            return null;
        }
        Optional<Envelopes.Detail> outOfRange = scalarFields.check(message.data(), route.payloadType());
        if (outOfRange.isPresent()) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid data",
                    List.of(outOfRange.get())));
            return null;
        }
        Object payload;
        try {
            payload = envelopes.bind(message.data(), route.payloadType());
        } catch (JsonbException | IllegalArgumentException | ClassCastException e) {
            LOG.log(System.Logger.Level.TRACE, "Binding event {0} failed: {1}", message.event(), e.getMessage());
            String path = bindingPath(e);
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED,
                    "'data' does not match the shape of event '" + message.event() + "'", path.isEmpty() ? List.of()
                            : List.of(new Envelopes.Detail(path, "has the wrong type"))));
            return null;
        }
        List<Envelopes.Detail> details = validation.check(payload);
        if (!details.isEmpty()) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid data", details));
            return null;
        }
        return new Bound(payload);
    }

    /**
     * The path of the property a JSON-B binding failed on, e.g. {@code inner.depth}, read from the implementation's
     * message (Yasson, used by every server tested, nests "Unable to deserialize property 'x'"); empty when the
     * message names none. Only property names are kept, never the values the client sent.
     */
    static String bindingPath(Exception e) {
        Matcher property = PROPERTY.matcher(String.valueOf(e.getMessage()));
        StringBuilder path = new StringBuilder();
        while (property.find()) {
            path.append(path.length() == 0 ? "" : ".").append(property.group(1));
        }
        return path.toString();
    }

    private void invoke(Route route, DefaultInbound<Object> in) {
        RequestContextController requestContext = activateRequestContext ? requestContexts.get() : null;
        boolean activated = requestContext != null && requestContext.activate();
        // Measures real elapsed time for the statistics; nothing is decided on it, so the real clock is right.
        long started = System.nanoTime();
        boolean failed = false;
        try {
            route.observer().notify(in);
            in.ackIfUnanswered();
        } catch (RoomException e) {
            // A room operation the handler made was refused (or the cluster's store is out of reach): the client
            // gets its code; an expected outcome, not a bug, so no stack trace per message.
            failed = true;
            LOG.log(System.Logger.Level.DEBUG, "Handler {0} for event ''{1}'' ended with {2}: {3}", route.where(),
                    route.event(), e.code().wireName(), e.getMessage());
            in.failIfUnanswered(e.code(), e.getMessage());
        } catch (RuntimeException | LinkageError | AssertionError e) {
            failed = true;
            LOG.log(System.Logger.Level.ERROR, "Handler " + route.where() + " for event '" + route.event()
                    + "' failed on " + in.connection(), e);
            in.failIfUnanswered();
        } finally {
            route.stats().record(System.nanoTime() - started, failed);
            if (activated) {
                requestContext.deactivate();
            }
            if (requestContext != null) {
                requestContexts.destroy(requestContext);
            }
        }
    }

    /**
     * The order of a bean in a chain (interceptors, handshake checks): its {@code @Priority}, else 1000.
     *
     * @param beanClass the bean class
     * @return the priority; lower runs first
     */
    public static int priority(Class<?> beanClass) {
        Priority priority = beanClass.getAnnotation(Priority.class);
        return priority == null ? 1000 : priority.value();
    }

    /** Names the async handler threads so they are recognizable in thread dumps. */
    private static final class AsyncThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "covet-async-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
