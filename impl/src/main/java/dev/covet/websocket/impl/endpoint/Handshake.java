package dev.covet.websocket.impl.endpoint;

import java.net.InetSocketAddress;

import dev.covet.websocket.impl.auth.AuthOutcome;
import dev.covet.websocket.impl.connection.ConnectionRegistry;

/**
 * What the handshake decided, carried to the connection under one user-property key: the outcome, and the
 * client address or the forwarding headers it is resolved from once the peer is known.
 *
 * @param outcome the authentication (or refusal) outcome
 * @param client the client address the servlet filter resolved, or null
 * @param forwarded the {@code Forwarded} header values, or null
 * @param xForwardedFor the {@code X-Forwarded-For} header values, or null
 * @param byFilter whether the servlet filter decided before the upgrade (the configurator then keeps it)
 * @param overLimit the connection limit the handshake found full ({@code capacity-user}, ...), or null: set only
 *     where the configurator took the slots ({@link ConnectionRegistry#reserve}), for the open to refuse
 */
record Handshake(AuthOutcome outcome, InetSocketAddress client, String forwarded, String xForwardedFor,
                 boolean byFilter, String overLimit) {

    /** The user-property key. */
    static final String KEY = "dev.covet.handshake";

    /** The servlet filter's decision, made before the upgrade with the client address resolved. */
    static Handshake decided(AuthOutcome outcome, InetSocketAddress client) {
        return new Handshake(outcome, client, null, null, true, null);
    }

    /** The configurator's decision, without a servlet layer: the client address is resolved at open. */
    static Handshake checked(AuthOutcome outcome, String forwarded, String xForwardedFor) {
        return new Handshake(outcome, null, blankToNull(forwarded), blankToNull(xForwardedFor), false, null);
    }

    /**
     * This decision once the configurator resolved the client and took its slots, as the filter does.
     *
     * @param resolved the client address
     * @param full the limit found full, or null when the slots were reserved
     * @return the decision the open acts on
     */
    Handshake reserved(InetSocketAddress resolved, String full) {
        return new Handshake(outcome, resolved, forwarded, xForwardedFor, false, full);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
