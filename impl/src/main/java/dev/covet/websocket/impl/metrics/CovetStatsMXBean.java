package dev.covet.websocket.impl.metrics;

import java.util.Map;

/**
 * The library's counters as a JMX MXBean, {@code dev.covet:type=Covet,app=<context path>}: the figures of
 * {@code CovetStats}, readable in JConsole, VisualVM and the servers' own consoles without any metrics library.
 * Every attribute is read-only and reflects the moment it is read.
 */
public interface CovetStatsMXBean {

    /** @return connections open now */
    long getOpen();

    /** @return endpoint instances obtained from CDI and not yet destroyed */
    long getEndpoints();

    /** @return connections admitted since start */
    long getOpened();

    /** @return handshakes refused since start, by reason */
    Map<String, Long> getRefused();

    /** @return messages received */
    long getMessagesIn();

    /** @return bytes received */
    long getBytesIn();

    /** @return frames handed to the container */
    long getMessagesOut();

    /** @return characters and bytes handed to the container */
    long getBytesOut();

    /** @return messages refused with {@code rate_limited} */
    long getRateLimited();

    /** @return connections closed with 4029 */
    long getRateLimitCloses();

    /** @return broadcasts dropped under {@code drop-oldest} */
    long getDropped();

    /** @return connections closed with 4008 */
    long getSlowConsumerCloses();

    /** @return connections closed with 4011 */
    long getHeartbeatTimeouts();

    /** @return connections closed with 1009 */
    long getTooBigCloses();

    /** @return connections admitted with permessage-deflate */
    long getCompressedConnections();

    /** @return in-band tokens that did not verify */
    long getAuthFailures();

    /** @return connections closed with 4001 after too many of them */
    long getAuthFailureCloses();

    /** @return calls of each declared event's handler */
    Map<String, Long> getHandlerCalls();

    /** @return calls of each declared event's handler that threw (answered {@code internal}) */
    Map<String, Long> getHandlerErrors();

    /** @return mean time in each declared event's handler, in microseconds */
    Map<String, Long> getHandlerMeanMicros();

    /** @return longest time in each declared event's handler, in microseconds */
    Map<String, Long> getHandlerMaxMicros();

    /** @return {@code local}, {@code up}, {@code degraded} or {@code down} */
    String getClusterState();

    /** @return times the cluster subscriber reconnected */
    long getClusterReconnects();

    /** @return times lost cluster messages were recovered from history */
    long getClusterGapsFilled();

    /** @return times members were sent {@code $room.gap} */
    long getClusterGapsReported();

    /** @return messages from other nodes that were not understood */
    long getClusterMalformed();

    /** @return messages to other nodes that could not be published */
    long getClusterPublishFailures();
}
