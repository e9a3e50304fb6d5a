package dev.covet.websocket.impl;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A payload with numeric fields of every width, to prove none is silently wrapped or rounded.
 *
 * @param count an int
 * @param big a Long
 * @param small a short
 * @param tiny a byte
 * @param ratio a double
 * @param share a Float
 * @param list Integers
 * @param nested a nested record
 * @param maybe an optional Integer
 * @param tally a map of ints
 */
public record Numbers(int count, Long big, short small, byte tiny, double ratio, Float share, List<Integer> list,
                      Nested nested, Optional<Integer> maybe, Map<String, Integer> tally) {

    /**
     * A nested numeric field.
     *
     * @param depth an int
     */
    public record Nested(int depth) {
    }

    /**
     * A recursive type, to prove the check follows nesting of any depth without looping.
     *
     * @param value an int
     * @param children more trees
     */
    public record Tree(int value, List<Tree> children) {
    }

    /**
     * Booleans in every position the check follows, to prove none is bound from a number or a string.
     *
     * @param on a boolean
     * @param maybe a Boolean, may be null
     * @param all Booleans
     * @param perhaps an optional Boolean
     * @param byName a map of Booleans
     * @param inner a nested boolean
     */
    public record Switches(boolean on, Boolean maybe, List<Boolean> all, Optional<Boolean> perhaps,
                           Map<String, Boolean> byName, Inner inner) {
    }

    /**
     * A nested boolean.
     *
     * @param deep a boolean
     */
    public record Inner(boolean deep) {
    }
}
