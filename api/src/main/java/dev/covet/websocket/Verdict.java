package dev.covet.websocket;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an {@link InboundInterceptor}: continue unchanged, continue with a rewritten message, or reject.
 *
 * <p>Instances are immutable and made only by the static factories.
 */
public final class Verdict {

    private static final Verdict PROCEED = new Verdict(null, null, null);

    private final InboundMessage rewritten;
    private final ErrorCode code;
    private final String message;

    private Verdict(InboundMessage rewritten, ErrorCode code, String message) {
        this.rewritten = rewritten;
        this.code = code;
        this.message = message;
    }

    /**
     * Continue with the message unchanged.
     *
     * @return the shared "proceed" verdict
     */
    public static Verdict proceed() {
        return PROCEED;
    }

    /**
     * Continue with a rewritten message.
     *
     * @param rewritten the message the rest of the chain and the router will see
     * @return the verdict
     */
    public static Verdict proceed(InboundMessage rewritten) {
        return new Verdict(Objects.requireNonNull(rewritten, "rewritten"), null, null);
    }

    /**
     * Stop here and answer the client with an {@code error} envelope.
     *
     * @param code the error code
     * @param message a short fact for the client
     * @return the verdict
     */
    public static Verdict reject(ErrorCode code, String message) {
        return new Verdict(null, Objects.requireNonNull(code, "code"), Objects.requireNonNull(message, "message"));
    }

    /**
     * Whether the message is rejected.
     *
     * @return true for a verdict made by {@link #reject}
     */
    public boolean rejected() {
        return code != null;
    }

    /**
     * The rewritten message, if any.
     *
     * @return the rewritten message, or empty when unchanged or rejected
     */
    public Optional<InboundMessage> rewritten() {
        return Optional.ofNullable(rewritten);
    }

    /**
     * The rejection's error code.
     *
     * @return the code, or empty unless rejected
     */
    public Optional<ErrorCode> errorCode() {
        return Optional.ofNullable(code);
    }

    /**
     * The rejection's message.
     *
     * @return the message, or empty unless rejected
     */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(message);
    }
}
