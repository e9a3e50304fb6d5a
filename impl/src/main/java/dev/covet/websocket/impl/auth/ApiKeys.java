package dev.covet.websocket.impl.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys, each with its own principal and roles, stored as SHA-256 hashes (a leaked configuration does not
 * leak the keys). A presented key is hashed and compared with every entry in constant time, so neither the
 * comparison nor the position of a match shows in the timing. Thread-safe.
 */
final class ApiKeys {

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = entries;
    }

    /**
     * Parses the configured entries {@code name:sha256hex[:role|role]}.
     *
     * @param configured the validated entries
     * @return the keys
     */
    static ApiKeys of(List<String> configured) {
        return new ApiKeys(configured.stream().map(ApiKeys::entry).toList());
    }

    private static Entry entry(String text) {
        String[] parts = text.split(":");
        Set<String> roles = parts.length > 2 ? Set.of(parts[2].split("\\|")) : Set.of();
        return new Entry(HexFormat.of().parseHex(parts[1]), new UserPrincipal(parts[0], roles));
    }

    /** @return whether any key is configured */
    boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Finds the principal of a presented key.
     *
     * @param presented the key as the client sent it
     * @return the principal, or empty for an unknown key
     */
    Optional<UserPrincipal> verify(String presented) {
        byte[] hash = sha256(presented);
        UserPrincipal found = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), hash) && found == null) {
                found = entry.principal();
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private record Entry(byte[] hash, UserPrincipal principal) {
    }
}
