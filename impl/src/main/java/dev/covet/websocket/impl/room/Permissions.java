package dev.covet.websocket.impl.room;

import dev.covet.websocket.room.RoomAction;
import dev.covet.websocket.room.RoomRole;
import dev.covet.websocket.room.RoomType;

/**
 * The room permission table of {@code docs/protocol.md}: which role may take which action, on whom.
 *
 * <p>Actions on another user (kick, ban, unban, mute, unmute, role changes) also need the actor to outrank the
 * target; a role change may only grant a role below the actor's own (the owner may grant admin). Pure functions.
 */
public final class Permissions {

    private Permissions() {
    }

    /**
     * The least role allowed to take an action.
     *
     * @param action the action
     * @param type the room type (adding users to a private room takes an admin)
     * @param postPolicy the room's least posting role
     * @return the least role
     */
    public static RoomRole leastRole(RoomAction action, RoomType type, RoomRole postPolicy) {
        return switch (action) {
            case POST -> postPolicy;
            case INVITE -> type == RoomType.PRIVATE ? RoomRole.ADMIN : RoomRole.MODERATOR;
            case KICK, BAN, UNBAN, MUTE, UNMUTE -> RoomRole.MODERATOR;
            case CHANGE_ROLE -> RoomRole.ADMIN;
            case DELETE -> RoomRole.OWNER;
        };
    }

    /**
     * Whether an actor may act, on a target where the action has one.
     *
     * @param actor the actor's role
     * @param action the action
     * @param type the room type
     * @param postPolicy the room's least posting role
     * @param target the target's current role, or null for actions without a target (post, invite, delete)
     * @return whether it is allowed
     */
    public static boolean allows(RoomRole actor, RoomAction action, RoomType type, RoomRole postPolicy,
                                 RoomRole target) {
        if (!actor.atLeast(leastRole(action, type, postPolicy))) {
            return false;
        }
        return target == null || actor.outranks(target);
    }

    /**
     * Whether an actor may give a target a new role.
     *
     * @param actor the actor's role
     * @param target the target's current role
     * @param granted the role to give
     * @return whether it is allowed
     */
    public static boolean mayGrant(RoomRole actor, RoomRole target, RoomRole granted) {
        return actor.atLeast(RoomRole.ADMIN) && actor.outranks(target) && granted != RoomRole.OWNER
                && (actor == RoomRole.OWNER || actor.outranks(granted));
    }
}
