package dev.covet.websocket.impl.routing;

import java.util.Map;

/**
 * The data of every {@code $room.*}, {@code $presence} and {@code $history} command; each command reads the
 * fields it documents and ignores the rest.
 *
 * @param room the room
 * @param user the user acted on
 * @param ip the address acted on ({@code $room.ban}, {@code $room.unban})
 * @param seconds how long a ban, mute or invitation lasts; absent for ever
 * @param role the role to give ({@code $room.role})
 * @param type the room type ({@code $room.create})
 * @param maxMembers the most users present ({@code $room.create})
 * @param historySize messages kept ({@code $room.create})
 * @param postPolicy the least role that may post ({@code $room.create})
 * @param metadata free-form strings ({@code $room.create})
 * @param since the last offset the client has ({@code $room.join}, {@code $history})
 * @param epoch the epoch of that offset
 */
public record RoomCommand(String room, String user, String ip, Long seconds, String role, String type,
                          Integer maxMembers, Integer historySize, String postPolicy, Map<String, String> metadata,
                          Long since, String epoch) {
}
