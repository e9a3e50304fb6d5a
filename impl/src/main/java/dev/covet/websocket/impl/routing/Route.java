package dev.covet.websocket.impl.routing;

import java.lang.reflect.Type;
import java.util.Set;

import jakarta.enterprise.inject.spi.ObserverMethod;

import dev.covet.websocket.Inbound;

/**
 * One entry of the route table: an event name, the payload type its data binds to, and the observer to call.
 *
 * @param event the event name
 * @param payloadType {@code T} of the observed {@code Inbound<T>}
 * @param observer the observer method
 * @param binary whether the route takes binary frames ({@code T} is {@code byte[]})
 * @param rolesAllowed the observer method's {@code @RolesAllowed} roles; empty when it has none
 */
record Route(String event, Type payloadType, ObserverMethod<Inbound<?>> observer, boolean binary,
             Set<String> rolesAllowed, HandlerStats stats) {

    /** @return whether a connection with these roles may call the observer */
    boolean admits(Set<String> roles) {
        return rolesAllowed.isEmpty() || rolesAllowed.stream().anyMatch(roles::contains);
    }

    /** @return a readable name of the observer method's bean class, for messages */
    String where() {
        return observer.getBeanClass().getName();
    }
}
