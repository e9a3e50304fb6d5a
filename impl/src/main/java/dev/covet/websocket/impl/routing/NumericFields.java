package dev.covet.websocket.impl.routing;

import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;

import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.json.JsonText;

/**
 * Range checks for the numbers of a payload before JSON-B binds it: JSON-B implementations narrow silently
 * ({@code 4294967297} becomes the {@code int} 1, {@code 1e999} an infinite {@code double}). A number that does not
 * fit its field, or a fraction for an integer field, is reported with the field's path. Payload types without
 * numeric fields are recognised once and cost nothing per message.
 */
final class NumericFields {

    private static final Map<Class<?>, BigInteger[]> INTEGER_RANGES = Map.of(
            int.class, range(Integer.MIN_VALUE, Integer.MAX_VALUE), Integer.class, range(Integer.MIN_VALUE,
                    Integer.MAX_VALUE),
            long.class, range(Long.MIN_VALUE, Long.MAX_VALUE), Long.class, range(Long.MIN_VALUE, Long.MAX_VALUE),
            short.class, range(Short.MIN_VALUE, Short.MAX_VALUE), Short.class, range(Short.MIN_VALUE, Short.MAX_VALUE),
            byte.class, range(Byte.MIN_VALUE, Byte.MAX_VALUE), Byte.class, range(Byte.MIN_VALUE, Byte.MAX_VALUE));
    private static final int MAX_DEPTH = 32;

    private final Map<Type, Boolean> numeric = new ConcurrentHashMap<>();

    /**
     * @param json the payload as JSON text
     * @param type the payload type
     * @return the first number that does not fit, or empty
     */
    Optional<Envelopes.Detail> check(String json, Type type) {
        if (!hasNumbers(type)) {
            return Optional.empty();
        }
        JsonValue value;
        try (JsonReader reader = JsonText.reader(json)) {
            value = reader.readValue();
        } catch (JsonException e) {
            return Optional.empty();
        }
        return check(value, type, "", 0);
    }

    private boolean hasNumbers(Type type) {
        Boolean known = numeric.get(type);
        if (known != null) {
            return known;
        }
        boolean found = search(type, new HashSet<>(), 0);
        numeric.put(type, found);
        return found;
    }

    /**
     * Whether a type holds a number anywhere; {@code visiting} breaks cycles (a tree of nodes) without publishing
     * a provisional answer that another thread could read and then skip the check.
     */
    private static boolean search(Type type, Set<Type> visiting, int depth) {
        if (isNumber(type)) {
            return true;
        }
        if (depth > MAX_DEPTH || !visiting.add(type)) {
            return false;
        }
        for (Type element : elementTypes(type).values()) {
            if (search(element, visiting, depth + 1)) {
                return true;
            }
        }
        return false;
    }

    private Optional<Envelopes.Detail> check(JsonValue value, Type type, String path, int depth) {
        if (value == null || value == JsonValue.NULL || depth > MAX_DEPTH) {
            return Optional.empty();
        }
        if (isNumber(type)) {
            return value instanceof JsonNumber number ? fits(number, raw(type), path) : Optional.empty();
        }
        if (!hasNumbers(type)) {
            return Optional.empty();
        }
        Map<String, Type> elements = elementTypes(type);
        if (value instanceof JsonArray array && elements.containsKey("[]")) {
            for (int i = 0; i < array.size(); i++) {
                Optional<Envelopes.Detail> problem = check(array.get(i), elements.get("[]"), path + "[" + i + "]",
                        depth + 1);
                if (problem.isPresent()) {
                    return problem;
                }
            }
        } else if (value instanceof JsonObject object) {
            for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
                Type field = elements.containsKey("{}") ? elements.get("{}") : elements.get(entry.getKey());
                if (field != null) {
                    String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                    Optional<Envelopes.Detail> problem = check(entry.getValue(), field, child, depth + 1);
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Envelopes.Detail> fits(JsonNumber number, Class<?> target, String path) {
        BigDecimal exact = number.bigDecimalValue();
        BigInteger[] range = INTEGER_RANGES.get(target);
        if (range != null) {
            String problem = "must be an integer from " + range[0] + " to " + range[1];
            BigInteger integer;
            try {
                integer = exact.toBigIntegerExact();
            } catch (ArithmeticException e) {
                return Optional.of(new Envelopes.Detail(path, problem));
            }
            return integer.compareTo(range[0]) < 0 || integer.compareTo(range[1]) > 0
                    ? Optional.of(new Envelopes.Detail(path, problem)) : Optional.empty();
        }
        boolean isFloat = target == float.class || target == Float.class;
        double converted = isFloat ? exact.floatValue() : exact.doubleValue();
        return Double.isInfinite(converted) ? Optional.of(new Envelopes.Detail(path, "must be a finite "
                + (isFloat ? "float" : "double"))) : Optional.empty();
    }

    private static boolean isNumber(Type type) {
        Class<?> raw = raw(type);
        return INTEGER_RANGES.containsKey(raw) || raw == double.class || raw == Double.class || raw == float.class
                || raw == Float.class;
    }

    /**
     * What a type holds: {@code "[]"} for the elements of arrays, collections and {@code Optional}s,
     * {@code "{}"} for map values, else one entry per JSON property.
     */
    private static Map<String, Type> elementTypes(Type type) {
        if (type instanceof GenericArrayType array) {
            return Map.of("[]", array.getGenericComponentType());
        }
        Class<?> raw = raw(type);
        if (raw.isArray()) {
            return Map.of("[]", raw.getComponentType());
        }
        if (Collection.class.isAssignableFrom(raw) || raw == Optional.class) {
            return Map.of("[]", argument(type, 0));
        }
        if (Map.class.isAssignableFrom(raw)) {
            return Map.of("{}", argument(type, 1));
        }
        if (raw.isPrimitive() || raw.isEnum() || raw.getName().startsWith("java.")) {
            return Map.of();
        }
        Map<String, Type> properties = new LinkedHashMap<>();
        if (raw.isRecord()) {
            for (RecordComponent component : raw.getRecordComponents()) {
                properties.put(name(component.getName(), component.getAccessor().getAnnotation(JsonbProperty.class),
                        fieldAnnotation(raw, component.getName())), component.getGenericType());
            }
            return properties;
        }
        for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())
                        && !field.isAnnotationPresent(JsonbTransient.class)) {
                    properties.putIfAbsent(name(field.getName(), null, field.getAnnotation(JsonbProperty.class)),
                            field.getGenericType());
                }
            }
        }
        return properties;
    }

    private static JsonbProperty fieldAnnotation(Class<?> record, String name) {
        try {
            return record.getDeclaredField(name).getAnnotation(JsonbProperty.class);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static String name(String declared, JsonbProperty onAccessor, JsonbProperty onField) {
        JsonbProperty property = onAccessor != null ? onAccessor : onField;
        return property != null && !property.value().isEmpty() ? property.value() : declared;
    }

    private static Type argument(Type type, int index) {
        if (type instanceof ParameterizedType parameterized && parameterized.getActualTypeArguments().length > index) {
            Type argument = parameterized.getActualTypeArguments()[index];
            return argument instanceof WildcardType wildcard ? wildcard.getUpperBounds()[0] : argument;
        }
        return Object.class;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return raw(parameterized.getRawType());
        }
        if (type instanceof GenericArrayType array) {
            return java.lang.reflect.Array.newInstance(raw(array.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    private static BigInteger[] range(long min, long max) {
        return new BigInteger[] {BigInteger.valueOf(min), BigInteger.valueOf(max)};
    }
}
