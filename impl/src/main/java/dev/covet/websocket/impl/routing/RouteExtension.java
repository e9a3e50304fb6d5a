package dev.covet.websocket.impl.routing;

import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.Conversation;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessObserverMethod;
import jakarta.json.JsonValue;

import dev.covet.websocket.Inbound;

/**
 * Builds the route table at deployment from every observer of {@code Inbound<T>} qualified {@code @Route}.
 *
 * <p>Every declaration problem is collected and reported in one deployment failure naming each method at fault.
 * The collected problems are dropped once validated; the table itself lives as long as the application.
 */
public class RouteExtension implements Extension {

    private static final System.Logger LOG = System.getLogger(RouteExtension.class.getName());
    private static final String RESERVED_PREFIX = "$";

    private final Map<String, Route> routes = new HashMap<>();
    private boolean requestScopedBeans;
    private final Map<String, List<String>> declaredBy = new HashMap<>();
    private List<String> problems = new ArrayList<>();

    @SuppressWarnings("unchecked")
    void observer(@Observes ProcessObserverMethod<?, ?> event) {
        ObserverMethod<?> observer = event.getObserverMethod();
        Type observed = observer.getObservedType();
        Class<?> raw = observed instanceof ParameterizedType p ? (Class<?>) p.getRawType()
                : observed instanceof Class<?> c ? c : null;
        dev.covet.websocket.Route name = observer.getObservedQualifiers().stream()
                .filter(dev.covet.websocket.Route.class::isInstance).map(dev.covet.websocket.Route.class::cast).findFirst().orElse(null);
        String where = observer.getBeanClass().getName() + " (observer of " + observed.getTypeName() + ")";
        if (raw != Inbound.class) {
            if (name != null) {
                problems.add(where + ": @Route may only qualify an observed Inbound<T>");
            }
            return;
        }
        if (name == null) {
            problems.add(where + ": an observed Inbound<T> needs a @Route(\"name\") qualifier");
            return;
        }
        Type payload = observed instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
        String routeProblem = checkName(name.value());
        if (routeProblem == null) {
            routeProblem = checkPayload(payload);
        }
        if (routeProblem != null) {
            problems.add(where + ": event '" + name.value() + "' " + routeProblem);
            return;
        }
        declaredBy.computeIfAbsent(name.value(), k -> new ArrayList<>()).add(where);
        RolesAllowed roles = event.getAnnotatedMethod().getAnnotation(RolesAllowed.class);
        routes.put(name.value(), new Route(name.value(), payload, (ObserverMethod<Inbound<?>>) observer,
                payload == byte[].class, roles == null ? Set.of() : Set.of(roles.value()), new HandlerStats()));
    }

    /**
     * Notes whether any bean is request-scoped: only then is activating the request context per message useful.
     * The container's own {@code Conversation} bean (request-scoped in Weld) does not count: conversations have
     * no meaning on a WebSocket.
     */
    void bean(@Observes ProcessBean<?> event) {
        if (event.getBean().getScope() == RequestScoped.class
                && !event.getBean().getTypes().contains(Conversation.class)) {
            requestScopedBeans = true;
        }
    }

    void healthChecks(@Observes BeforeBeanDiscovery discovery) {
        if (mpHealthPresent()) {
            dev.covet.websocket.impl.metrics.HealthChecks.addTypes(discovery);
            LOG.log(System.Logger.Level.INFO, "Covet health checks added for MicroProfile Health (covet-liveness, "
                    + "covet-readiness)");
        }
    }

    private static boolean mpHealthPresent() {
        try {
            Class.forName("org.eclipse.microprofile.health.HealthCheck", false, RouteExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    void validate(@Observes AfterDeploymentValidation event) {
        declaredBy.forEach((name, where) -> {
            if (where.size() > 1) {
                problems.add("event '" + name + "' has " + where.size() + " observers, exactly one may answer it: "
                        + String.join(", ", where));
            }
        });
        if (!problems.isEmpty()) {
            event.addDeploymentProblem(new DeploymentException("Invalid Covet routes (" + problems.size()
                    + " problem" + (problems.size() == 1 ? "" : "s") + "):\n - " + String.join("\n - ", problems)));
        }
        problems = List.of();
        declaredBy.clear();
    }

    /** @return the route table, by event name; read-only after deployment */
    Map<String, Route> routes() {
        return Map.copyOf(routes);
    }

    /** @return each route's handler statistics, by event name */
    public Map<String, HandlerStats> handlerStats() {
        Map<String, HandlerStats> stats = new java.util.TreeMap<>();
        routes.forEach((event, route) -> stats.put(event, route.stats()));
        return stats;
    }

    /** @return whether the deployment has {@code @RequestScoped} beans, which handlers may use */
    boolean hasRequestScopedBeans() {
        return requestScopedBeans;
    }

    private static String checkName(String name) {
        if (name.isBlank()) {
            return "is blank; give the event a name";
        }
        if (name.startsWith(RESERVED_PREFIX)) {
            return "uses the reserved prefix '$' (built-in commands only)";
        }
        if (name.length() > 128) {
            return "is longer than 128 characters";
        }
        return null;
    }

    private static String checkPayload(Type payload) {
        if (payload == null) {
            return "is observed as a raw Inbound; declare Inbound<T> with a concrete T";
        }
        if (!(payload instanceof Class<?> type)) {
            return payload instanceof ParameterizedType ? null
                    : "has payload type " + payload.getTypeName() + ", which JSON-B cannot bind; use a concrete class";
        }
        if (type == byte[].class || type.isPrimitive() || type.isEnum() || type.isRecord() || type == String.class
                || type == Object.class || JsonValue.class.isAssignableFrom(type)) {
            return null;
        }
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) && !Number.class.isAssignableFrom(type)) {
            return "has payload type " + type.getName() + ", an interface or abstract class; JSON-B cannot create it";
        }
        if (type.getName().startsWith("java.")) {
            return null;
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return "has payload type " + type.getName() + ", a non-static inner class; make it static";
        }
        boolean creatable = java.util.Arrays.stream(type.getDeclaredConstructors())
                .anyMatch(c -> c.getParameterCount() == 0 && !Modifier.isPrivate(c.getModifiers())
                        || c.isAnnotationPresent(jakarta.json.bind.annotation.JsonbCreator.class))
                || java.util.Arrays.stream(type.getDeclaredMethods())
                .anyMatch(m -> m.isAnnotationPresent(jakarta.json.bind.annotation.JsonbCreator.class));
        return creatable ? null : "has payload type " + type.getName()
                + " without a no-argument constructor or @JsonbCreator; JSON-B cannot create it";
    }
}
