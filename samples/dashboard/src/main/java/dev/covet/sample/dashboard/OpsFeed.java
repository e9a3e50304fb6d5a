package dev.covet.sample.dashboard;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.covet.websocket.CovetStats;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.Route;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.room.RoomConfig;
import dev.covet.websocket.room.RoomType;

/**
 * Feeds the dashboard: once a second, the node's figures from {@link CovetStats} are pushed to the invite-only room
 * {@value #ROOM}, which only a connection with the {@code admin} role enters (through {@code dashboard.watch}; a
 * {@code $room.join} of it is refused, as is {@code dashboard.watch} without the role). {@code demo.ping} is the
 * route the page's load buttons drive.
 */
@ApplicationScoped
public class OpsFeed {

    static final String ROOM = "ops";
    private static final System.Logger LOG = System.getLogger(OpsFeed.class.getName());
    private static final int TOP_ROOMS = 10;
    private static final Pattern LOAD_ROOM = Pattern.compile("load-[0-9]");

    /** The figures of one second, as the page charts them; counters are totals since start, the page derives rates. */
    public record Tick(long time, long open, long opened, long messagesIn, long messagesOut, long bytesIn,
                       long bytesOut, Map<String, Long> refused, long rateLimited, long dropped, String cluster,
                       Map<String, CovetStats.Handler> handlers, List<RoomRow> rooms) {
    }

    /** One of the busiest rooms, by members here. */
    public record RoomRow(String name, int members, long messages, long deliveries, long dropped) {
    }

    @Inject
    Rooms rooms;
    @Inject
    CovetStats stats;

    private ScheduledExecutorService ticker;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "dashboard-ticker");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void stop() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    /** The feed's room, made on first use; clients cannot make rooms here (see {@link DashboardServer}). */
    private void room() {
        if (rooms.info(ROOM).isEmpty()) {
            rooms.create(ROOM, RoomConfig.of(RoomType.INVITE_ONLY, 100, 0), null);
        }
    }

    private void tick() {
        try {
            room();
            rooms.push(ROOM, "dashboard.tick", now());
        } catch (RuntimeException e) {
            // Before Covet is installed, or while it shuts down: the next second tries again.
            LOG.log(System.Logger.Level.DEBUG, "Dashboard tick skipped: {0}", e.toString());
        }
    }

    Tick now() {
        CovetStats.Snapshot snapshot = stats.snapshot();
        List<RoomRow> busiest = stats.rooms().entrySet().stream()
                .map(room -> new RoomRow(room.getKey(), room.getValue().members(), room.getValue().messages(),
                        room.getValue().deliveries(), room.getValue().dropped()))
                .sorted(Comparator.comparingInt(RoomRow::members).reversed().thenComparing(RoomRow::name))
                .limit(TOP_ROOMS).toList();
        return new Tick(System.currentTimeMillis(), snapshot.open(), snapshot.opened(), snapshot.messagesIn(),
                snapshot.messagesOut(), snapshot.bytesIn(), snapshot.bytesOut(), snapshot.refused(),
                snapshot.rateLimited(), snapshot.dropped(), snapshot.cluster().state(), snapshot.handlers(), busiest);
    }

    /** An admin starts watching: joins the feed's room and gets the figures of now at once. */
    @RolesAllowed("admin")
    void watch(@Observes @Route("dashboard.watch") Inbound<Void> in) {
        room();
        rooms.join(in.connection(), ROOM);
        in.reply(now());
    }

    /** What the load buttons send: echoed, so that the handler's latency and the message rates move. */
    void ping(@Observes @Route("demo.ping") Inbound<String> in) {
        in.reply(in.payload());
    }

    /**
     * Joins one of the load's rooms ({@code load-0} to {@code load-9}), so that the rooms table has something to show.
     * A server-side join skips the room's admission rules, so only these names are accepted.
     */
    void enter(@Observes @Route("demo.enter") Inbound<String> in) {
        if (in.payload() == null || !LOAD_ROOM.matcher(in.payload()).matches()) {
            in.fail(ErrorCode.FORBIDDEN, "Only the rooms load-0 to load-9 can be entered this way");
            return;
        }
        rooms.join(in.connection(), in.payload());
        rooms.push(in.payload(), "demo.entered", in.connection().principal().map(p -> p.getName()).orElse(""));
        in.ack();
    }
}
