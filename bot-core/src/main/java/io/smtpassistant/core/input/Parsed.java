package io.smtpassistant.core.input;

import io.smtpassistant.core.check.Explanation;
import java.util.function.Function;

/**
 * The result of checking one value a user typed: the clean value, or what is wrong with it and
 * what a right value looks like (an {@link Explanation} the adapter renders in the user's language).
 */
public sealed interface Parsed<T> {

    record Ok<T>(T value) implements Parsed<T> {
    }

    record Invalid<T>(Explanation problem) implements Parsed<T> {
    }

    static <T> Parsed<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Parsed<T> invalid(String key, Object... namesAndValues) {
        return new Invalid<>(Explanation.of(key, namesAndValues));
    }

    default boolean isOk() {
        return this instanceof Ok<T>;
    }

    /** The value; throws when invalid (check {@link #isOk()} first). */
    default T value() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Invalid<T> bad -> throw new IllegalStateException("invalid input: " + bad.problem().key());
        };
    }

    default <R> Parsed<R> map(Function<T, R> f) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
            case Invalid<T> bad -> new Invalid<>(bad.problem());
        };
    }
}
