package dev.covet.websocket.auth;

/**
 * A custom credential validator: any CDI bean implementing it joins the handshake's authentication chain, so an
 * application can accept credentials the library does not know (a signed URL, a device certificate header, a
 * legacy session store) without replacing the built-in checks.
 *
 * <p>Checks run before the built-in ones, in ascending {@code @jakarta.annotation.Priority} order (no priority
 * counts as 1000). The first check that {@linkplain CheckResult#authenticate authenticates} or
 * {@linkplain CheckResult#refuse refuses} decides; one that {@linkplain CheckResult#abstain abstains} passes the
 * handshake on. Called on the container's handshake thread: keep it quick and thread-safe.
 */
public interface HandshakeCheck {

    /**
     * Looks at one handshake.
     *
     * @param handshake the request's credentials and metadata
     * @return the result, never null
     */
    CheckResult check(HandshakeContext handshake);
}
