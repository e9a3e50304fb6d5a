package dev.covet.websocket.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.Priority;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;

import dev.covet.websocket.Connected;
import dev.covet.websocket.Disconnected;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Route;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.InboundInterceptor;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.Verdict;

/** User code as the tests' application writes it. */
final class TestHandlers {

    private TestHandlers() {
    }

    /** Handlers for each answering style. */
    @ApplicationScoped
    static class Notes {
        @Inject
        Rooms rooms;

        void echo(@Observes @Route("echo") Inbound<Note> in) {
            in.reply(in.payload());
        }

        void silent(@Observes @Route("silent") Inbound<Note> in) {
            // answered by the automatic ack
        }

        void boom(@Observes @Route("boom") Inbound<Note> in) {
            throw new IllegalStateException("database password is hunter2");
        }

        void failing(@Observes @Route("refuse") Inbound<Note> in) {
            in.fail(ErrorCode.CONFLICT, "Already taken");
        }

        void twice(@Observes @Route("twice") Inbound<Note> in) {
            in.reply(in.payload());
            try {
                in.reply(in.payload());
            } catch (IllegalStateException e) {
                in.connection().send("twice.refused", e.getMessage());
            }
        }

        void later(@ObservesAsync @Route("async.echo") Inbound<Note> in) {
            in.reply(new Note(in.payload().text() + " from " + Thread.currentThread().getName(), null));
        }

        void bytes(@Observes @Route("bytes.reverse") Inbound<byte[]> in) {
            byte[] bytes = in.payload();
            byte[] reversed = new byte[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                reversed[i] = bytes[bytes.length - 1 - i];
            }
            in.reply(reversed);
        }

        void ping(@Observes @Route("ping") Inbound<Void> in) {
            in.reply("pong");
        }

        void whoami(@Observes @Route("whoami") Inbound<Void> in) {
            in.reply(in.connection().remoteAddress().map(a -> a.getAddress().getHostAddress()).orElse("unknown"));
        }

        @RolesAllowed("admin")
        void adminOnly(@Observes @Route("admin.only") Inbound<Void> in) {
            in.reply(in.connection().principal().map(java.security.Principal::getName).orElse("anonymous"));
        }

        void tree(@Observes @Route("tree") Inbound<Numbers.Tree> in) {
            in.reply(in.payload());
        }

        void numbers(@Observes @Route("numbers") Inbound<Numbers> in) {
            in.reply(in.payload());
        }

        void switches(@Observes @Route("switches") Inbound<Numbers.Switches> in) {
            in.reply(in.payload());
        }

        void id(@Observes @Route("id") Inbound<Void> in) {
            in.reply(in.connection().id());
        }

        void me(@Observes @Route("me") Inbound<Void> in) {
            in.reply(in.connection().principal().map(p -> p.getName() + " " + new java.util.TreeSet<>(
                    in.connection().roles())).orElse("anonymous"));
        }

        void post(@Observes @Route("room.post") Inbound<Note> in) {
            if (!rooms.mayPost(in.connection(), in.payload().tag())) {
                in.fail(ErrorCode.FORBIDDEN, "May not post");
                return;
            }
            rooms.broadcast(in.payload().tag(), "room.posted", in.payload());
        }

        void shout(@Observes @Route("room.say") Inbound<Note> in) {
            rooms.broadcast(in.payload().tag(), "room.said", in.payload());
        }

        /** {@code text} broadcasts of the room {@code tag} in one {@link Rooms#batch}, then the ack. */
        void burst(@Observes @Route("room.burst") Inbound<Note> in) {
            int count = Integer.parseInt(in.payload().text());
            rooms.batch(() -> {
                for (int i = 0; i < count; i++) {
                    rooms.broadcast(in.payload().tag(), "room.said", new Note(String.valueOf(i), null));
                }
            });
            in.ack();
        }

        /**
         * {@code text} rounds, in one {@link Rooms#batch}, of a text frame of each length encoding (7-bit, 16-bit,
         * 64-bit) and a binary frame, to the sender; then the ack, or with tag {@code close} a close with 4000.
         */
        void mixedBurst(@Observes @Route("mixed.burst") Inbound<Note> in) {
            int rounds = Integer.parseInt(in.payload().text());
            dev.covet.websocket.Connection connection = in.connection();
            rooms.batch(() -> {
                for (int i = 0; i < rounds; i++) {
                    for (int length : MIXED_LENGTHS) {
                        connection.send("mixed.text", new Note(i + ":" + "x".repeat(length), null));
                    }
                    connection.sendBinary("mixed.bytes", new byte[] {(byte) i, 1, 2, 3});
                }
            });
            if ("close".equals(in.payload().tag())) {
                connection.close(4000, "burst done");
            } else {
                in.ack();
            }
        }
    }

    /** The padding of {@code mixed.burst}'s text frames: each of the three ways a frame's length is written. */
    static final int[] MIXED_LENGTHS = {5, 300, 70_000};

    /** A request-scoped counter: fresh for every message when the request context is active. */
    @jakarta.enterprise.context.RequestScoped
    static class PerMessage {
        private int count;

        int increment() {
            return ++count;
        }
    }

    /** Uses the request-scoped bean twice per message. */
    @ApplicationScoped
    static class Scoped {
        @Inject
        PerMessage perMessage;

        void count(@Observes @Route("scoped.count") Inbound<Void> in) {
            perMessage.increment();
            in.reply(perMessage.increment());
        }
    }

    /** Rejects {@code blocked}; turns {@code legacy.echo} into {@code echo}. */
    @ApplicationScoped
    @Priority(10)
    static class Gatekeeper implements InboundInterceptor {
        @Override
        public Verdict intercept(InboundMessage message) {
            if (message.event().equals("blocked")) {
                return Verdict.reject(ErrorCode.FORBIDDEN, "Blocked by policy");
            }
            if (message.event().equals("legacy.echo")) {
                return Verdict.proceed(message.withEvent("echo"));
            }
            return Verdict.proceed();
        }
    }

    /** Runs after the gatekeeper: would reject what the gatekeeper rewrote if the order were wrong. */
    @ApplicationScoped
    @Priority(20)
    static class LegacyGuard implements InboundInterceptor {
        @Override
        public Verdict intercept(InboundMessage message) {
            return message.event().equals("legacy.echo")
                    ? Verdict.reject(ErrorCode.INTERNAL, "interceptor order broken") : Verdict.proceed();
        }
    }

    /** Records lifecycle events. */
    @ApplicationScoped
    static class Lifecycle {
        private final List<String> events = new CopyOnWriteArrayList<>();

        List<String> events() {
            return events;
        }

        void opened(@Observes Connected e) {
            events.add("connected:" + e.connection().principal().map(p -> p.getName()).orElse("anonymous"));
        }

        void closed(@Observes Disconnected e) {
            events.add("disconnected:" + e.closeCode());
        }
    }

    static final Class<?>[] ALL = {Notes.class, Gatekeeper.class, LegacyGuard.class, Lifecycle.class,
        PerMessage.class, Scoped.class};
}
