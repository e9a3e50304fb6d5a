package dev.covet.websocket.impl;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.weld.environment.se.Weld;
import org.junit.jupiter.api.Test;

import dev.covet.websocket.Route;
import dev.covet.websocket.Inbound;

class DeploymentProblemsTest {

    /** Every kind of declaration mistake, once each. */
    @ApplicationScoped
    static class Mistakes {
        void reserved(@Observes @Route("$room.join") Inbound<Note> in) {
        }

        void unqualified(@Observes Inbound<Note> in) {
        }

        void abstractPayload(@Observes @Route("shape") Inbound<Runnable> in) {
        }

        void wrongType(@Observes @Route("text") String text) {
        }

        void first(@Observes @Route("dup") Inbound<Note> in) {
        }
    }

    /** A second observer of {@code dup}. */
    @ApplicationScoped
    static class Duplicate {
        void second(@Observes @Route("dup") Inbound<Note> in) {
        }
    }

    @Test
    void failsDeploymentOnceListingEveryDeclarationProblem() {
        Weld weld = new Weld().containerId("covet-bad-" + System.nanoTime())
                .addBeanClasses(Mistakes.class, Duplicate.class);
        assertThatThrownBy(weld::initialize)
                .hasStackTraceContaining("Invalid Covet routes (5 problems)")
                .hasStackTraceContaining("event '$room.join' uses the reserved prefix '$'")
                .hasStackTraceContaining("an observed Inbound<T> needs a @Route(\"name\") qualifier")
                .hasStackTraceContaining("event 'shape' has payload type java.lang.Runnable")
                .hasStackTraceContaining("@Route may only qualify an observed Inbound<T>")
                .hasStackTraceContaining("event 'dup' has 2 observers");
        List.of(weld).forEach(Weld::shutdown);
    }
}
