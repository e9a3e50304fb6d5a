package dev.covet.sample.chat;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Route;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.RoomJoined;
import dev.covet.websocket.RoomLeft;
import dev.covet.websocket.Rooms;

/**
 * The whole server side of the chat: two events and two room notices.
 */
@ApplicationScoped
public class ChatHandlers {

    @Inject
    Rooms rooms;

    void send(@Observes @Route("chat.send") Inbound<ChatSend> in) {
        ChatSend message = in.payload();
        if (!rooms.roomsOf(in.connection()).contains(message.room())) {
            in.fail(ErrorCode.FORBIDDEN, "Join room '" + message.room() + "' first");
            return;
        }
        if (!rooms.mayPost(in.connection(), message.room())) {
            in.fail(ErrorCode.FORBIDDEN, "You are muted in '" + message.room() + "'");
            return;
        }
        rooms.broadcast(message.room(), "chat.message",
                new ChatMessage(message.room(), user(in.connection()), message.text(), System.currentTimeMillis()));
    }

    void typing(@Observes @Route("chat.typing") Inbound<ChatTyping> in) {
        String room = in.payload().room();
        // Ephemeral: a typing notice is never stored, and a muted user's typing is not shown.
        if (rooms.mayPost(in.connection(), room)) {
            rooms.pushExcept(room, "chat.typing", new Notice(room, user(in.connection())), in.connection());
        }
    }

    void joined(@Observes RoomJoined event) {
        rooms.push(event.room(), "chat.joined", new Notice(event.room(), user(event.connection())));
    }

    void left(@Observes RoomLeft event) {
        rooms.push(event.room(), "chat.left", new Notice(event.room(), user(event.connection())));
    }

    private static String user(Connection connection) {
        return connection.principal().map(Principal::getName).orElse("anonymous");
    }
}
