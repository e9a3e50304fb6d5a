package dev.covet.sample.chat;

import java.security.Principal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.covet.websocket.Connection;
import dev.covet.websocket.ErrorCode;
import dev.covet.websocket.Inbound;
import dev.covet.websocket.Rooms;
import dev.covet.websocket.Route;
import dev.covet.websocket.room.MemberJoined;
import dev.covet.websocket.room.MemberLeft;

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

    /** "alice joined", once per user: a second tab of hers says nothing. */
    void joined(@Observes MemberJoined event) {
        if (event.firstConnection()) {
            rooms.push(event.room(), "chat.joined", new Notice(event.room(), user(event.connection())));
        }
    }

    /** "alice left", when her last connection in the room is gone (also when her server was lost). */
    void left(@Observes MemberLeft event) {
        if (event.lastConnection()) {
            rooms.push(event.room(), "chat.left", new Notice(event.room(),
                    event.user().startsWith("~") ? "anonymous" : event.user()));
        }
    }

    private static String user(Connection connection) {
        return connection.principal().map(Principal::getName).orElse("anonymous");
    }
}
