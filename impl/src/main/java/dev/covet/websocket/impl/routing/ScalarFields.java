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

import jakarta.json.JsonException;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.bind.annotation.JsonbTransient;
import jakarta.json.stream.JsonParser;

import dev.covet.websocket.impl.json.Envelopes;
import dev.covet.websocket.impl.json.JsonText;

/**
 * Checks of a payload's numbers and booleans before JSON-B binds it, because JSON-B implementations bind them
 * silently wrong: {@code 4294967297} becomes the {@code int} 1, {@code 1e999} an infinite {@code double}, and
 * Yasson turns {@code 1} or {@code "yes"} into the {@code boolean} false and the strings {@code "NaN"} and
 * {@code "1e999"} into a {@code double} that is not finite. A number that does not fit its field, a fraction for an
 * integer field, a string for a floating-point field, or anything but {@code true}/{@code false} for a boolean field
 * is reported with the field's path. What a type holds is reflected once per type. Per message, a payload whose numbers are all plain integers
 * short enough for the narrowest integer field of its type (the common case: ids, counts) is passed after one scan
 * of its characters, unless its type has boolean or floating-point fields; any other is read once with a streaming
 * parser, guided by the type. Payload types without numeric or boolean fields cost nothing per message.
 */
final class ScalarFields {

    private static final Map<Class<?>, BigInteger[]> INTEGER_RANGES = Map.of(
            int.class, range(Integer.MIN_VALUE, Integer.MAX_VALUE), Integer.class, range(Integer.MIN_VALUE,
                    Integer.MAX_VALUE),
            long.class, range(Long.MIN_VALUE, Long.MAX_VALUE), Long.class, range(Long.MIN_VALUE, Long.MAX_VALUE),
            short.class, range(Short.MIN_VALUE, Short.MAX_VALUE), Short.class, range(Short.MIN_VALUE, Short.MAX_VALUE),
            byte.class, range(Byte.MIN_VALUE, Byte.MAX_VALUE), Byte.class, range(Byte.MIN_VALUE, Byte.MAX_VALUE));
    /**
     * What {@link #safeDigits(Type)} says of a type whose payloads no scan of digits can pass: it holds booleans,
     * or floating-point fields, which JSON-B also binds from strings ({@code "NaN"}, {@code "1e999"}).
     */
    private static final int ALWAYS = -1;
    /** Floating-point types: JSON numbers within their range, never strings. */
    private static final Set<Class<?>> FLOATING = Set.of(float.class, Float.class, double.class, Double.class);
    /** The types whose payloads are always read with the parser: booleans and {@link #FLOATING}. */
    private static final Set<Class<?>> ALWAYS_READ = Set.of(boolean.class, Boolean.class, float.class, Float.class,
            double.class, Double.class);
    /** The most digits of a plain integer that always fits each integer type ({@code 99} in a byte, ...). */
    private static final Map<Class<?>, Integer> SAFE_DIGITS = Map.of(byte.class, 2, Byte.class, 2, short.class, 4,
            Short.class, 4, int.class, 9, Integer.class, 9, long.class, 18, Long.class, 18);
    /** What {@link #safeDigits(Type)} says of a type without numbers or booleans. */
    private static final int NO_SCALARS = Integer.MAX_VALUE;
    /** No {@code long} has more digits; a number with more is out of range without being expanded. */
    private static final int LONG_DIGITS = 19;
    private static final int MAX_DEPTH = 32;
    private static final String NOT_A_BOOLEAN = "must be true or false";

    private final Map<Type, Integer> safeDigits = new ConcurrentHashMap<>();
    private final Map<Type, Map<String, Type>> elements = new ConcurrentHashMap<>();

    /**
     * @param json the payload as JSON text
     * @param type the payload type
     * @return the first number that does not fit, or empty
     */
    Optional<Envelopes.Detail> check(String json, Type type) {
        int safe = safeDigits(type);
        if (safe == NO_SCALARS || safe != ALWAYS && onlyShortIntegers(json, safe)) {
            return Optional.empty();
        }
        try (JsonParser parser = JsonText.parser(json)) {
            return parser.hasNext() ? check(parser, parser.next(), type, new Object[MAX_DEPTH + 1], 0)
                    : Optional.empty();
        } catch (JsonException e) {
            // Not JSON after all: the binding that follows reports it.
            return Optional.empty();
        }
    }

    /**
     * Whether every run of digits in the text is at most {@code safe} long and none is followed by a fraction or an
     * exponent. Digits inside strings count too, which can only send a payload to the full check.
     */
    private static boolean onlyShortIntegers(String json, int safe) {
        int run = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++run > safe) {
                    return false;
                }
            } else {
                if (run > 0 && (c == '.' || c == 'e' || c == 'E')) {
                    return false;
                }
                run = 0;
            }
        }
        return true;
    }

    /** @return whether the type holds numbers or booleans anywhere */
    private boolean hasScalars(Type type) {
        return safeDigits(type) != NO_SCALARS;
    }

    /** The fewest safe digits of the numeric types a type holds, {@link #ALWAYS}, or {@link #NO_SCALARS}. */
    private int safeDigits(Type type) {
        Integer known = safeDigits.get(type);
        if (known != null) {
            return known;
        }
        int found = search(type, new HashSet<>(), 0);
        safeDigits.put(type, found);
        return found;
    }

    /**
     * The fewest safe digits of the numbers a type holds anywhere; {@code visiting} breaks cycles (a tree of nodes)
     * without publishing a provisional answer that another thread could read and then skip the check.
     */
    private int search(Type type, Set<Type> visiting, int depth) {
        if (ALWAYS_READ.contains(raw(type))) {
            return ALWAYS;
        }
        Integer digits = SAFE_DIGITS.get(raw(type));
        if (digits != null) {
            return digits;
        }
        if (depth > MAX_DEPTH || !visiting.add(type)) {
            return NO_SCALARS;
        }
        int fewest = NO_SCALARS;
        for (Type element : elementTypes(type).values()) {
            fewest = Math.min(fewest, search(element, visiting, depth + 1));
        }
        return fewest;
    }

    /**
     * Checks the value the parser has just reached ({@code event}) and reads past it when it is an array or an
     * object. {@code trail} holds the property names and indexes that led here, {@code trail[0..depth)}; the path
     * is only spelled out for a number that does not fit.
     */
    private Optional<Envelopes.Detail> check(JsonParser parser, JsonParser.Event event, Type type, Object[] trail,
            int depth) {
        switch (event) {
            case VALUE_NUMBER:
                Type target = unwrapped(type);
                if (isBoolean(target)) {
                    return Optional.of(new Envelopes.Detail(path(trail, depth), NOT_A_BOOLEAN));
                }
                return isNumber(target) && !fits(parser.getBigDecimal(), raw(target))
                        ? Optional.of(new Envelopes.Detail(path(trail, depth), problem(raw(target))))
                        : Optional.empty();
            case VALUE_STRING:
                // JSON-B binds a string to a number or boolean field: an integer's text exactly (or not at all), a
                // floating-point field's also as NaN or an infinity, and a boolean's as false unless "true".
                Type stringFor = unwrapped(type);
                if (isBoolean(stringFor)) {
                    return Optional.of(new Envelopes.Detail(path(trail, depth), NOT_A_BOOLEAN));
                }
                return FLOATING.contains(raw(stringFor))
                        ? Optional.of(new Envelopes.Detail(path(trail, depth), "must be a number, not a string"))
                        : Optional.empty();
            case START_ARRAY:
                Type element = depth < MAX_DEPTH && hasScalars(type) ? elementTypes(type).get("[]") : null;
                if (element == null) {
                    parser.skipArray();
                    return Optional.empty();
                }
                int index = 0;
                for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_ARRAY; next = parser.next()) {
                    trail[depth] = index++;
                    Optional<Envelopes.Detail> problem = check(parser, next, element, trail, depth + 1);
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
                return Optional.empty();
            case START_OBJECT:
                Map<String, Type> properties = depth < MAX_DEPTH && hasScalars(type) ? elementTypes(type) : Map.of();
                Type values = properties.get("{}");
                for (JsonParser.Event next = parser.next(); next != JsonParser.Event.END_OBJECT;
                        next = parser.next()) {
                    String key = parser.getString();
                    Type field = values != null ? values : properties.get(key);
                    JsonParser.Event value = parser.next();
                    if (field == null) {
                        skip(parser, value);
                        continue;
                    }
                    trail[depth] = key;
                    Optional<Envelopes.Detail> problem = check(parser, value, field, trail, depth + 1);
                    if (problem.isPresent()) {
                        return problem;
                    }
                }
                return Optional.empty();
            default:
                return Optional.empty();
        }
    }

    private static void skip(JsonParser parser, JsonParser.Event value) {
        if (value == JsonParser.Event.START_ARRAY) {
            parser.skipArray();
        } else if (value == JsonParser.Event.START_OBJECT) {
            parser.skipObject();
        }
    }

    /** E.g. {@code items[2].depth}: property names joined with dots, indexes in brackets. */
    private static String path(Object[] trail, int depth) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            if (trail[i] instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.length() == 0 ? "" : ".").append(trail[i]);
            }
        }
        return path.toString();
    }

    /**
     * Whether a JSON number fits a numeric field exactly. An integer is never expanded beyond {@value #LONG_DIGITS}
     * digits to find out: {@code 1e99999999} would take a thread minutes and hundreds of megabytes.
     */
    private static boolean fits(BigDecimal exact, Class<?> target) {
        BigInteger[] range = INTEGER_RANGES.get(target);
        if (range != null) {
            if (exact.signum() == 0) {
                return true;
            }
            if ((long) exact.precision() - exact.scale() > LONG_DIGITS || exact.stripTrailingZeros().scale() > 0) {
                return false;
            }
            BigInteger integer = exact.toBigIntegerExact();
            return integer.compareTo(range[0]) >= 0 && integer.compareTo(range[1]) <= 0;
        }
        double converted = target == float.class || target == Float.class ? exact.floatValue() : exact.doubleValue();
        return !Double.isInfinite(converted);
    }

    private static String problem(Class<?> target) {
        BigInteger[] range = INTEGER_RANGES.get(target);
        if (range != null) {
            return "must be an integer from " + range[0] + " to " + range[1];
        }
        return "must be a finite " + (target == float.class || target == Float.class ? "float" : "double");
    }

    private static boolean isNumber(Type type) {
        return SAFE_DIGITS.containsKey(raw(type)) || FLOATING.contains(raw(type));
    }

    /** @return the value type of an {@code Optional}, else the type itself */
    private static Type unwrapped(Type type) {
        return raw(type) == Optional.class ? argument(type, 0) : type;
    }

    private static boolean isBoolean(Type type) {
        return raw(type) == boolean.class || raw(type) == Boolean.class;
    }

    /**
     * What a type holds: {@code "[]"} for the elements of arrays, collections and {@code Optional}s,
     * {@code "{}"} for map values, else one entry per JSON property.
     */
    private Map<String, Type> elementTypes(Type type) {
        return elements.computeIfAbsent(type, ScalarFields::reflectElementTypes);
    }

    private static Map<String, Type> reflectElementTypes(Type type) {
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
