package dev.covet.websocket.impl.connection;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.covet.websocket.CloseCodes;
import dev.covet.websocket.impl.auth.AuthOutcome;

/**
 * How one connection stays authenticated, apart from its principal ({@link DefaultConnection#principal()}): when its
 * credentials expire, whether it was admitted only to send {@code $auth} (and until when), how in-band tokens are
 * verified, and what in-band authentication took. The handshake sets it, {@code $auth} and {@code $auth.refresh}
 * renew it, the heartbeat sweep checks it. Thread-safe: volatile fields, written by one thread at a time.
 */
public final class Credentials {

    /** When the credentials expire (epoch milliseconds of {@link TimeSource#now()}), or 0 for never. */
    private volatile long expiresAtMillis;
    /** Until when ({@link TimeSource#nanoTime()}) a pending connection may send {@code $auth}; 0 when not pending. */
    private volatile long authDeadline;
    private volatile Function<String, Optional<AuthOutcome>> inBandVerifier = token -> Optional.empty();
    /** The user whose per-user slot this connection took when it authenticated in band, or null. */
    private volatile String inBandSlot;
    private final AtomicInteger failures = new AtomicInteger();

    Credentials() {
    }

    /**
     * Sets what the handshake decided beyond the principal: expiry, pending first-message authentication, and
     * how in-band tokens ({@code $auth}, {@code $auth.refresh}) are verified.
     *
     * @param expiresAt when the credentials expire, or null
     * @param pendingUntil the {@code nanoTime} deadline for {@code $auth}, or 0 when not pending
     * @param verifier the deployment's token verifier
     */
    public void handshake(Instant expiresAt, long pendingUntil, Function<String, Optional<AuthOutcome>> verifier) {
        this.expiresAtMillis = expiresAt == null ? 0 : Math.max(1, expiresAt.toEpochMilli());
        this.authDeadline = pendingUntil;
        this.inBandVerifier = verifier;
    }

    /**
     * Verifies a token presented in band.
     *
     * @param token the token
     * @return the outcome, or empty when it does not verify
     */
    public Optional<AuthOutcome> verifyInBand(String token) {
        return inBandVerifier.apply(token);
    }

    /** Verified credentials were adopted: they expire then (or never, for null), and nothing is pending any more. */
    void renewed(Instant expiresAt) {
        expiresAtMillis = expiresAt == null ? 0 : Math.max(1, expiresAt.toEpochMilli());
        authDeadline = 0;
    }

    /**
     * Notes the per-user slot taken by {@code $auth}, for release when the connection ends.
     *
     * @param user the user, or null when the slot was not taken after all
     */
    public void inBandSlot(String user) {
        inBandSlot = user;
    }

    /** @return the user whose slot {@code $auth} took, or null */
    public String inBandSlot() {
        return inBandSlot;
    }

    /** @return how many in-band tokens this connection has sent that did not verify, this one included */
    public int failed() {
        return failures.incrementAndGet();
    }

    /** @return whether the connection is admitted only to send {@code $auth} */
    public boolean pending() {
        return authDeadline != 0;
    }

    /**
     * For the heartbeat sweep: whether the credentials have expired or a pending connection missed its deadline.
     *
     * @param nowMillis {@link TimeSource#now()} in epoch milliseconds
     * @param nowNanos {@link TimeSource#nanoTime()}
     * @return the close code to apply ({@code 4001}, {@code 4002}), or 0
     */
    public int lapsed(long nowMillis, long nowNanos) {
        long deadline = authDeadline;
        if (deadline != 0 && nowNanos - deadline > 0) {
            return CloseCodes.AUTHENTICATION_TIMEOUT;
        }
        long expires = expiresAtMillis;
        return expires != 0 && nowMillis >= expires ? CloseCodes.CREDENTIALS_EXPIRED : 0;
    }
}
