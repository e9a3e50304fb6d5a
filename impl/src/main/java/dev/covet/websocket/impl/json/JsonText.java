package dev.covet.websocket.impl.json;

import java.io.StringReader;
import java.util.Map;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;

/**
 * Reads JSON text with one JSON-P reader factory, looked up once: {@code Json.createReader} looks the provider up
 * with a {@link java.util.ServiceLoader} on every call, which cost the echo route two thirds of its throughput when
 * it ran once per message.
 */
public final class JsonText {

    private JsonText() {
    }

    /** Looked up on first use, from the application's class loader (the library lives in each application). */
    private static final class Provider {
        static final JsonProvider JSON = JsonProvider.provider();
        static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of());
        static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    }

    /**
     * @param json JSON text
     * @return a reader of it, to close after use
     */
    public static JsonReader reader(String json) {
        return Provider.READERS.createReader(new StringReader(json));
    }

    /**
     * @param json JSON text
     * @return a streaming parser of it, to close after use
     */
    public static JsonParser parser(String json) {
        return Provider.PARSERS.createParser(new StringReader(json));
    }

    /** @return a new array builder */
    public static JsonArrayBuilder arrayBuilder() {
        return Provider.JSON.createArrayBuilder();
    }

    /** @return a new object builder */
    public static JsonObjectBuilder objectBuilder() {
        return Provider.JSON.createObjectBuilder();
    }
}
