package dev.covet.websocket.room;

import java.util.Objects;

/**
 * Whom a ban or mute names: a user, or a client address. Typed, so that moderation code and room stores never
 * parse {@code "user:"}/{@code "ip:"} strings.
 *
 * <pre>{@code
 * rooms.ban("lobby", Subject.user("mallory"), Duration.ofHours(1));
 * rooms.ban("lobby", Subject.ip("203.0.113.7"), null);
 * }</pre>
 *
 * @param kind a user or an address
 * @param value the user name, or the address as {@code InetAddress.getHostAddress()} writes it
 */
public record Subject(Kind kind, String value) {

    /** What a subject names. */
    public enum Kind {
        /** A user (the principal name); every connection of theirs. */
        USER,
        /** A client address; every connection from it whose user the one who set it outranks. */
        IP
    }

    /**
     * Checks the parts.
     *
     * @throws IllegalArgumentException when the value is blank
     */
    public Subject {
        Objects.requireNonNull(kind, "kind");
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A subject names a non-blank user or address");
        }
    }

    /**
     * @param user the user name
     * @return the subject naming that user
     */
    public static Subject user(String user) {
        return new Subject(Kind.USER, user);
    }

    /**
     * @param address the client address, e.g. {@code 203.0.113.7}
     * @return the subject naming that address
     */
    public static Subject ip(String address) {
        return new Subject(Kind.IP, address);
    }
}
