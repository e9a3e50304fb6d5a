package dev.covet.websocket;

import java.util.Map;

/**
 * Counters of what the library did since the application started: connections, traffic and protections.
 *
 * <p>An {@code @ApplicationScoped} bean of the library: {@code @Inject CovetStats stats}. Thread-safe; each
 * {@link #snapshot()} is a consistent-enough copy for monitoring (counters are read one after another).
 */
public interface CovetStats {

    /**
     * Copies the current counters.
     *
     * @return a new immutable snapshot
     */
    Snapshot snapshot();

    /**
     * The figures of this node's rooms that have members here now, so that an operator sees which rooms carry the
     * traffic (kept out of {@link Snapshot} and of the metrics, whose cost must not grow with the number of rooms).
     *
     * @return a new immutable map, by room name, sorted
     */
    Map<String, Room> rooms();

    /**
     * The counters at one moment.
     *
     * @param open connections open now
     * @param endpoints endpoint instances the library obtained from CDI and has not yet given back for destruction:
     *     one per connection being served; a value that keeps growing beyond {@code open} would be a leak
     * @param opened connections admitted since start
     * @param refused handshakes refused since start, by reason: {@code unauthorized}, {@code origin},
     *     {@code capacity}, {@code capacity-ip}, {@code capacity-user}
     * @param messagesIn messages received (text and binary)
     * @param bytesIn bytes received, as the container delivered them (after decompression)
     * @param messagesOut frames handed to the container
     * @param bytesOut characters (text) and bytes (binary) handed to the container
     * @param rateLimited messages refused with {@code rate_limited}
     * @param rateLimitCloses connections closed with 4029 for persistent abuse
     * @param dropped queued broadcasts dropped under the {@code drop-oldest} overflow policy
     * @param slowConsumerCloses connections closed with 4008
     * @param heartbeatTimeouts connections closed with 4011 because a ping went unanswered
     * @param tooBigCloses connections closed with 1009
     * @param compressedConnections connections admitted with permessage-deflate negotiated (as far as the
     *     container reports it)
     * @param authFailures {@code $auth} and {@code $auth.refresh} requests whose token did not verify
     * @param authFailureCloses connections closed with 4001 after {@code covet.auth.max-failures} of them
     * @param handlers each declared event's handler statistics, by event name
     * @param cluster how this node reaches the others
     */
    record Snapshot(long open, long endpoints, long opened, Map<String, Long> refused, long messagesIn, long bytesIn,
                    long messagesOut, long bytesOut, long rateLimited, long rateLimitCloses, long dropped,
                    long slowConsumerCloses, long heartbeatTimeouts, long tooBigCloses, long compressedConnections,
                    long authFailures, long authFailureCloses, Map<String, Handler> handlers, Cluster cluster) {
    }

    /**
     * The node's view of its cluster.
     *
     * @param node this node's id
     * @param state {@code local} (single node, no cluster configured), {@code up}, {@code degraded} (connected, but
     *     some rooms still catching up after an outage, or on Redis Cluster a shard's rooms being subscribed again) or {@code down} (Redis out of reach: local delivery works,
     *     other nodes are not reached, room commands answer {@code unavailable})
     * @param reconnects times the subscriber connection was re-established
     * @param lastError the last Redis error seen, or null
     * @param gapsFilled times lost cluster messages were recovered from history before delivery
     * @param gapsReported times members were sent {@code $room.gap} because history no longer held what was lost
     * @param malformed messages from other nodes that were not understood (dropped)
     * @param publishFailures messages to other nodes that could not be published
     */
    record Cluster(String node, String state, long reconnects, String lastError, long gapsFilled, long gapsReported,
                   long malformed, long publishFailures) {
    }

    /**
     * One event's handler: how often it ran, how often it threw, and how long it took (for {@code @ObservesAsync}
     * handlers, on the async thread, without the wait for it).
     *
     * @param calls calls since start
     * @param errors calls that threw (answered {@code internal}, or with the code of a
     *     {@link dev.covet.websocket.room.RoomException})
     * @param meanMicros mean time in the handler, in microseconds
     * @param maxMicros longest time in the handler, in microseconds
     */
    record Handler(long calls, long errors, long meanMicros, long maxMicros) {
    }

    /**
     * One room on this node, counted since it last had its first member here.
     *
     * @param members this node's connections in the room now
     * @param messages frames fanned out to at least one of the room's members here: room messages, pushes and
     *     notices
     * @param deliveries frames queued for those members (one per member per frame)
     * @param dropped of those, dropped from a slow member's queue under the {@code drop-oldest} policy
     */
    record Room(int members, long messages, long deliveries, long dropped) {
    }
}
