package dev.covet.websocket.impl.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.json.bind.JsonbException;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.auth.UserPrincipal;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;

/**
 * The built-in {@code $} commands of protocol v1: {@code $room.join}, {@code $room.leave}, {@code $auth} and
 * {@code $auth.refresh}.
 */
final class Builtins {

    /** First-message authentication. */
    static final String AUTH = "$auth";
    /** In-band replacement of a connection's credentials. */
    static final String AUTH_REFRESH = "$auth.refresh";

    private final Envelopes envelopes;
    private final LocalRooms rooms;
    private final ConnectionRegistry registry;
    private final Consumer<DefaultConnection> onAuthenticated;

    Builtins(Envelopes envelopes, LocalRooms rooms, ConnectionRegistry registry,
             Consumer<DefaultConnection> onAuthenticated) {
        this.envelopes = envelopes;
        this.rooms = rooms;
        this.registry = registry;
        this.onAuthenticated = onAuthenticated;
    }

    void handle(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        switch (message.event()) {
            case "$room.join", "$room.leave" -> room(connection, message);
            case AUTH, AUTH_REFRESH -> auth(connection, message);
            default -> connection.sendError(replyTo, ErrorCode.UNKNOWN_EVENT,
                    "Unknown built-in command '" + message.event() + "'");
        }
    }

    private void room(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        String room;
        try {
            RoomRequest request = "null".equals(message.data()) ? null
                    : (RoomRequest) envelopes.bind(message.data(), RoomRequest.class);
            room = request == null ? null : request.room();
        } catch (JsonbException e) {
            connection.sendError(replyTo, ErrorCode.BAD_REQUEST, "'data' must be an object like {\"room\":\"name\"}");
            return;
        }
        String problem = LocalRooms.nameProblem(room);
        if (problem != null) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid room",
                    List.of(new Envelopes.Detail("room", problem))));
            return;
        }
        DefaultInbound<RoomRequest> in = new DefaultInbound<>(message.event(), message.id(),
                new RoomRequest(room), connection, envelopes, false);
        if (message.event().equals("$room.join")) {
            rooms.join(connection, room);
        } else if (!rooms.leave(connection, room)) {
            in.fail(ErrorCode.NOT_FOUND, "Not a member of room '" + room + "'");
            return;
        }
        in.reply(new RoomReply(room, rooms.members(room).size()));
    }

    private void auth(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        boolean refresh = message.event().equals(AUTH_REFRESH);
        String token;
        try {
            TokenRequest request = "null".equals(message.data()) ? null
                    : (TokenRequest) envelopes.bind(message.data(), TokenRequest.class);
            token = request == null ? null : request.token();
        } catch (JsonbException e) {
            connection.sendError(replyTo, ErrorCode.BAD_REQUEST, "'data' must be an object like {\"token\":\"...\"}");
            return;
        }
        if (token == null || token.isBlank()) {
            connection.enqueue(envelopes.error(replyTo, ErrorCode.VALIDATION_FAILED, "Invalid token",
                    List.of(new Envelopes.Detail("token", "must not be blank"))));
            return;
        }
        if (!refresh && !connection.awaitsAuthentication()) {
            connection.sendError(replyTo, ErrorCode.CONFLICT, "Already authenticated; use " + AUTH_REFRESH);
            return;
        }
        if (refresh && connection.principal().isEmpty()) {
            connection.sendError(replyTo, ErrorCode.UNAUTHORIZED, "Nothing to refresh: not authenticated");
            return;
        }
        Optional<AuthOutcome> verified = connection.verifyInBand(token);
        if (verified.isEmpty() || verified.get().principal().isEmpty()) {
            connection.sendError(replyTo, ErrorCode.UNAUTHORIZED, "Invalid token");
            return;
        }
        UserPrincipal principal = verified.get().principal().get();
        if (refresh && !principal.getName().equals(connection.principal().get().getName())) {
            connection.sendError(replyTo, ErrorCode.FORBIDDEN, "The token names another user");
            return;
        }
        Instant expiresAt = verified.get().expiresAt().orElse(null);
        connection.authenticated(principal, expiresAt);
        if (!refresh) {
            registry.indexByUser(connection);
            onAuthenticated.accept(connection);
        }
        new DefaultInbound<>(message.event(), message.id(), null, connection, envelopes, false)
                .reply(new AuthReply(principal.getName(), expiresAt == null ? null : expiresAt.getEpochSecond()));
    }
}
