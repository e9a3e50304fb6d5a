package dev.covet.websocket.impl.routing;

import java.lang.reflect.Type;

import jakarta.enterprise.inject.spi.ObserverMethod;

import dev.covet.websocket.Inbound;

/**
 * One entry of the route table: an event name, the payload type its data binds to, and the observer to call.
 *
 * @param event the event name
 * @param payloadType {@code T} of the observed {@code Inbound<T>}
 * @param observer the observer method
 * @param binary whether the route takes binary frames ({@code T} is {@code byte[]})
 */
record Route(String event, Type payloadType, ObserverMethod<Inbound<?>> observer, boolean binary) {

    /** @return a readable name of the observer method's bean class, for messages */
    String where() {
        return observer.getBeanClass().getName();
    }
}
