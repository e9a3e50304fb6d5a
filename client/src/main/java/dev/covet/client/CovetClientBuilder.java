package dev.covet.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What a {@link CovetClient} is built with ({@link CovetClient#builder}); every option has the default
 * {@code docs/clients.md} gives, the same as the browser client's.
 */
public final class CovetClientBuilder {
    final URI uri;
    String token;
    Supplier<String> tokenSupplier;
    HttpClient http;
    Duration initialDelay = Duration.ofMillis(500);
    Duration maxDelay = Duration.ofSeconds(30);
    Duration stableAfter = Duration.ofSeconds(10);
    Duration overloadedDelay = Duration.ofSeconds(5);
    Duration requestTimeout = Duration.ofSeconds(10);
    Duration refreshBefore = Duration.ofSeconds(30);
    boolean queueWhileDisconnected = true;
    int maxQueued = 100;

    CovetClientBuilder(URI uri) {
        this.uri = uri;
    }

    /** The bearer token, sent as {@code Authorization: Bearer}. */
    public CovetClientBuilder token(String value) {
        this.token = value;
        return this;
    }

    /** Supplies a token before a handshake that needs one and before expiry; may block (own thread). */
    public CovetClientBuilder tokenSupplier(Supplier<String> value) {
        this.tokenSupplier = value;
        return this;
    }

    public CovetClientBuilder httpClient(HttpClient value) {
        this.http = value;
        return this;
    }

    /** Cap of the first reconnection delay (default 500 ms); doubles per failed attempt. */
    public CovetClientBuilder initialDelay(Duration value) {
        this.initialDelay = value;
        return this;
    }

    /** Cap of every reconnection delay (default 30 s). */
    public CovetClientBuilder maxDelay(Duration value) {
        this.maxDelay = value;
        return this;
    }

    /** A connection open this long resets the backoff (default 10 s). */
    public CovetClientBuilder stableAfter(Duration value) {
        this.stableAfter = value;
        return this;
    }

    /** Least delay after 1013, 4029, HTTP 429 or 503 (default 5 s). */
    public CovetClientBuilder overloadedDelay(Duration value) {
        this.overloadedDelay = value;
        return this;
    }

    /** How long a request, and a handshake, may take (default 10 s). */
    public CovetClientBuilder requestTimeout(Duration value) {
        this.requestTimeout = value;
        return this;
    }

    /** Refresh the token this long before its {@code exp} (default 30 s). */
    public CovetClientBuilder refreshBefore(Duration value) {
        this.refreshBefore = value;
        return this;
    }

    /** Queue what is sent while disconnected (default true); false fails it with {@code disconnected}. */
    public CovetClientBuilder queueWhileDisconnected(boolean value) {
        this.queueWhileDisconnected = value;
        return this;
    }

    /** Most messages queued while disconnected (default 100); one more fails with {@code queue_full}. */
    public CovetClientBuilder maxQueued(int value) {
        this.maxQueued = value;
        return this;
    }

    /** @return a client that starts connecting at once */
    public CovetClient build() {
        return new CovetClient(this);
    }
}
