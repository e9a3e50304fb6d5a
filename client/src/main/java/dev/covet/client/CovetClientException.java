package dev.covet.client;

import java.util.List;
import java.util.OptionalLong;

/**
 * A refusal from the server (its {@code error} envelope: code, message, details) or a failure of the client itself
 * ({@code timeout}, {@code disconnected}, {@code queue_full}, {@code closed}), so that callers branch on one stable
 * {@link #code()} whatever went wrong.
 */
public class CovetClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** One violated field of a {@code validation_failed} error. */
    public record Detail(String path, String message) {
    }

    private final String code;
    private final transient List<Detail> details;
    private final long retryAfterMs;

    /**
     * @param code the server's error code, or the client's own
     * @param message a short fact for humans
     * @param details the field violations, possibly empty
     * @param retryAfterMs when the server says a retry would be accepted ({@code rate_limited}), or -1
     */
    public CovetClientException(String code, String message, List<Detail> details, long retryAfterMs) {
        super(code + ": " + message);
        this.code = code;
        this.details = List.copyOf(details);
        this.retryAfterMs = retryAfterMs;
    }

    CovetClientException(String code, String message) {
        this(code, message, List.of(), -1);
    }

    /** @return the error code: the server's ({@code forbidden}, {@code validation_failed}, ...) or the client's */
    public String code() {
        return code;
    }

    /** @return the field violations of a {@code validation_failed} error; empty otherwise */
    public List<Detail> details() {
        return details;
    }

    /** @return when the server would accept the same message again, for {@code rate_limited} */
    public OptionalLong retryAfterMs() {
        return retryAfterMs < 0 ? OptionalLong.empty() : OptionalLong.of(retryAfterMs);
    }
}
