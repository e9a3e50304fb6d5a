package dev.covet.websocket;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;

/**
 * Names the wire event an observer method handles, so that a frame {@code {"event":"chat.send",...}} reaches
 * exactly the method declared for it.
 *
 * <p>The route table is built at deployment from every observer of {@link Inbound}{@code <T>} carrying this
 * qualifier; {@code T} is the type the envelope's {@code data} is bound to. Names are non-blank, at most 128
 * characters, and must not start with {@code $}, which is reserved for built-in commands. Each name has exactly
 * one observer; mistakes fail deployment with one message listing them all.
 *
 * <pre>{@code
 * void send(@Observes @Route("chat.send") Inbound<ChatMessage> in) {
 *     rooms.broadcast(in.payload().room(), "chat.message", in.payload());
 * }
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD, ElementType.TYPE})
public @interface Route {

    /**
     * The event name as it appears in the envelope's {@code event} field.
     *
     * @return the event name, never blank
     */
    String value();

    /**
     * Creates {@code @Route} instances, for code that selects routes programmatically.
     */
    final class Literal extends AnnotationLiteral<Route> implements Route {
        private static final long serialVersionUID = 1L;
        private final String value;

        private Literal(String value) {
            this.value = value;
        }

        /**
         * Returns a qualifier instance for the given event name.
         *
         * @param value the event name
         * @return a qualifier equal to {@code @Route(value)}
         */
        public static Literal of(String value) {
            return new Literal(value);
        }

        @Override
        public String value() {
            return value;
        }
    }
}
