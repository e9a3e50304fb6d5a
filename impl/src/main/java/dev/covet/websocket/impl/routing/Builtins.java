package dev.covet.websocket.impl.routing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import jakarta.json.bind.JsonbException;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.auth.UserPrincipal;
import dev.covet.websocket.impl.connection.ConnectionRegistry;
import dev.covet.websocket.impl.connection.Counters;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;

/**
 * The built-in {@code $} commands of protocol v1: the room commands ({@link RoomCommands}), {@code $auth} and
 * {@code $auth.refresh}.
 */
final class Builtins {

    /** First-message authentication. */
    static final String AUTH = "$auth";
    /** In-band replacement of a connection's credentials. */
    static final String AUTH_REFRESH = "$auth.refresh";

    private final Envelopes envelopes;
    private final RoomCommands roomCommands;
    private final ConnectionRegistry registry;
    private final Consumer<DefaultConnection> onAuthenticated;
    private final Counters counters;
    private final IntSupplier maxFailures;

    Builtins(Envelopes envelopes, RoomCommands roomCommands, ConnectionRegistry registry,
             Consumer<DefaultConnection> onAuthenticated, Counters counters, IntSupplier maxFailures) {
        this.counters = counters;
        this.maxFailures = maxFailures;
        this.envelopes = envelopes;
        this.roomCommands = roomCommands;
        this.registry = registry;
        this.onAuthenticated = onAuthenticated;
    }

    void handle(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        if (RoomCommands.handles(message.event())) {
            roomCommands.handle(connection, message);
            return;
        }
        switch (message.event()) {
            case AUTH, AUTH_REFRESH -> auth(connection, message);
            default -> connection.sendError(replyTo, ErrorCode.UNKNOWN_EVENT,
                    "Unknown built-in command '" + message.event() + "'");
        }
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
        if (!refresh && !connection.credentials().pending()) {
            connection.sendError(replyTo, ErrorCode.CONFLICT, "Already authenticated; use " + AUTH_REFRESH);
            return;
        }
        if (refresh && connection.principal().isEmpty()) {
            connection.sendError(replyTo, ErrorCode.UNAUTHORIZED, "Nothing to refresh: not authenticated");
            return;
        }
        Optional<AuthOutcome> verified = connection.credentials().verifyInBand(token);
        if (verified.isPresent() && verified.get().isRefused()) {
            String reason = verified.get().refusal().orElseThrow();
            connection.sendError(replyTo, ErrorCode.FORBIDDEN, reason);
            connection.close(CloseCodes.POLICY_VIOLATION, reason);
            return;
        }
        if (verified.isEmpty() || verified.get().principal().isEmpty()) {
            connection.sendError(replyTo, ErrorCode.UNAUTHORIZED, "Invalid token");
            boolean close = connection.credentials().failed() >= maxFailures.getAsInt();
            counters.authFailure(close);
            if (close) {
                connection.close(CloseCodes.AUTHENTICATION_TIMEOUT, "authentication failed");
            }
            return;
        }
        UserPrincipal principal = verified.get().principal().get();
        if (refresh && !principal.getName().equals(connection.principal().get().getName())) {
            connection.sendError(replyTo, ErrorCode.FORBIDDEN, "The token names another user");
            return;
        }
        if (!refresh) {
            connection.credentials().inBandSlot(principal.getName());
            if (!registry.takeUserSlot(principal.getName())) {
                connection.credentials().inBandSlot(null);
                connection.sendError(replyTo, ErrorCode.CONFLICT, "Over the per-user connection limit");
                connection.close(CloseCodes.TRY_AGAIN_LATER, "over capacity: capacity-user");
                return;
            }
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
