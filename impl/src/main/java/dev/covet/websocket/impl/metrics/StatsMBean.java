package dev.covet.websocket.impl.metrics;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import dev.covet.websocket.CovetStats;

/**
 * One deployment's {@link CovetStatsMXBean} in the platform MBean server, named after its context path so that two
 * applications using Covet in one server do not clash (a second one with the same name gets
 * {@code ,instance=2}); unregistered when the application stops.
 */
public final class StatsMBean implements CovetStatsMXBean {

    private static final System.Logger LOG = System.getLogger(StatsMBean.class.getName());

    private final CovetStats stats;
    private volatile ObjectName name;

    private StatsMBean(CovetStats stats) {
        this.stats = stats;
    }

    /**
     * Registers the deployment's counters; a failure is logged, never fatal (JMX may be locked down).
     *
     * @param stats the counters
     * @param contextPath the application's context path, {@code ""} for the root
     * @return the registration, to {@link #unregister} when the application stops
     */
    public static StatsMBean register(CovetStats stats, String contextPath) {
        StatsMBean bean = new StatsMBean(stats);
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String app = ObjectName.quote(contextPath.isEmpty() ? "/" : contextPath);
        try {
            StandardMBean mbean = new StandardMBean(bean, CovetStatsMXBean.class, true);
            for (int instance = 1; bean.name == null; instance++) {
                ObjectName candidate = new ObjectName("dev.covet:type=Covet,app=" + app
                        + (instance == 1 ? "" : ",instance=" + instance));
                try {
                    server.registerMBean(mbean, candidate);
                    bean.name = candidate;
                } catch (InstanceAlreadyExistsException taken) {
                    LOG.log(System.Logger.Level.DEBUG, "{0} is taken; trying the next instance", candidate);
                }
            }
        } catch (JMException | SecurityException e) {
            LOG.log(System.Logger.Level.WARNING, "Covet's MBean is not registered: " + e);
        }
        return bean;
    }

    /** @return the registered name, or null when registration failed */
    public ObjectName name() {
        return name;
    }

    /** Removes the MBean; safe to call more than once. */
    public void unregister() {
        ObjectName registered = name;
        name = null;
        if (registered == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
        } catch (JMException | SecurityException e) {
            LOG.log(System.Logger.Level.DEBUG, "Unregistering {0} failed: {1}", registered, e.toString());
        }
    }

    private CovetStats.Snapshot now() {
        return stats.snapshot();
    }

    @Override
    public long getOpen() {
        return now().open();
    }

    @Override
    public long getEndpoints() {
        return now().endpoints();
    }

    @Override
    public long getOpened() {
        return now().opened();
    }

    @Override
    public Map<String, Long> getRefused() {
        return now().refused();
    }

    @Override
    public long getMessagesIn() {
        return now().messagesIn();
    }

    @Override
    public long getBytesIn() {
        return now().bytesIn();
    }

    @Override
    public long getMessagesOut() {
        return now().messagesOut();
    }

    @Override
    public long getBytesOut() {
        return now().bytesOut();
    }

    @Override
    public long getRateLimited() {
        return now().rateLimited();
    }

    @Override
    public long getRateLimitCloses() {
        return now().rateLimitCloses();
    }

    @Override
    public long getDropped() {
        return now().dropped();
    }

    @Override
    public long getSlowConsumerCloses() {
        return now().slowConsumerCloses();
    }

    @Override
    public long getHeartbeatTimeouts() {
        return now().heartbeatTimeouts();
    }

    @Override
    public long getTooBigCloses() {
        return now().tooBigCloses();
    }

    @Override
    public long getCompressedConnections() {
        return now().compressedConnections();
    }

    @Override
    public long getAuthFailures() {
        return now().authFailures();
    }

    @Override
    public long getAuthFailureCloses() {
        return now().authFailureCloses();
    }

    @Override
    public Map<String, Long> getHandlerCalls() {
        return handlers(CovetStats.Handler::calls);
    }

    @Override
    public Map<String, Long> getHandlerErrors() {
        return handlers(CovetStats.Handler::errors);
    }

    @Override
    public Map<String, Long> getHandlerMeanMicros() {
        return handlers(CovetStats.Handler::meanMicros);
    }

    @Override
    public Map<String, Long> getHandlerMaxMicros() {
        return handlers(CovetStats.Handler::maxMicros);
    }

    @Override
    public String getClusterState() {
        return now().cluster().state();
    }

    @Override
    public long getClusterReconnects() {
        return now().cluster().reconnects();
    }

    @Override
    public long getClusterGapsFilled() {
        return now().cluster().gapsFilled();
    }

    @Override
    public long getClusterGapsReported() {
        return now().cluster().gapsReported();
    }

    @Override
    public long getClusterMalformed() {
        return now().cluster().malformed();
    }

    @Override
    public long getClusterPublishFailures() {
        return now().cluster().publishFailures();
    }

    private Map<String, Long> handlers(ToLongFunction<CovetStats.Handler> figure) {
        Map<String, Long> values = new TreeMap<>();
        now().handlers().forEach((event, handler) -> values.put(event, figure.applyAsLong(handler)));
        return values;
    }
}
