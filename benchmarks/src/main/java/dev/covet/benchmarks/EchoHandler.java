package dev.covet.benchmarks;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.covet.websocket.Route;
import dev.covet.websocket.Inbound;

/**
 * The Covet side of the echo benchmark: decode, bind, validate, dispatch, reply.
 */
@ApplicationScoped
public class EchoHandler {

    void echo(@Observes @Route("echo") Inbound<EchoPayload> in) {
        in.reply(in.payload());
    }
}
