package dev.covet.websocket.impl.routing;

import java.util.List;

import jakarta.json.bind.JsonbException;

import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.InboundMessage;
import dev.covet.websocket.impl.connection.DefaultConnection;
import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.room.LocalRooms;

/**
 * The built-in {@code $} commands of protocol v1: {@code $room.join} and {@code $room.leave}.
 */
final class Builtins {

    private final Envelopes envelopes;
    private final LocalRooms rooms;

    Builtins(Envelopes envelopes, LocalRooms rooms) {
        this.envelopes = envelopes;
        this.rooms = rooms;
    }

    void handle(DefaultConnection connection, InboundMessage message) {
        String replyTo = message.id().orElse(null);
        switch (message.event()) {
            case "$room.join", "$room.leave" -> room(connection, message);
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
}
