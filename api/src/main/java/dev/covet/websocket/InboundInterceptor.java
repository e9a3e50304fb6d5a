package dev.covet.websocket;

/**
 * Middleware that sees every inbound message before it is bound and routed, and may pass, rewrite or reject it.
 *
 * <p>Implement it in a CDI bean of any scope; the library calls every such bean in ascending
 * {@code @jakarta.annotation.Priority} order (no annotation counts as 1000), on the container thread that
 * received the frame, so keep it fast. Built-in {@code $} commands pass through interceptors too. A rejection
 * answers the client with an {@code error} envelope and stops the chain.
 *
 * <pre>{@code
 * @ApplicationScoped @Priority(10)
 * class NoShouting implements InboundInterceptor {
 *     public Verdict intercept(InboundMessage m) {
 *         return m.data().contains("!!!") ? Verdict.reject(ErrorCode.FORBIDDEN, "No shouting") : Verdict.proceed();
 *     }
 * }
 * }</pre>
 */
public interface InboundInterceptor {

    /**
     * Decides what happens to one message.
     *
     * @param message the message as decoded so far (possibly rewritten by earlier interceptors)
     * @return the verdict, never null
     */
    Verdict intercept(InboundMessage message);
}
