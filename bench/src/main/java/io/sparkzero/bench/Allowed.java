package io.sparkzero.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The values a benchmark option allows: how its text is read, and what is allowed in words, which
 * is what an error about a bad value says after {@code expected}.
 *
 * @param description what is allowed, e.g. {@code "a whole number in 1..1024"}
 * @param reader reads the text of one value; throws {@link IllegalArgumentException} (a {@link
 *     NumberFormatException} included) when the text is not allowed
 * @param <T> the type of a value
 */
public record Allowed<T>(String description, Function<String, T> reader) {

  /** Reads {@code text}, or throws {@link IllegalArgumentException} when it is not allowed. */
  T read(String text) {
    T value = reader.apply(text);
    if (value == null) {
      throw new IllegalArgumentException(text);
    }
    return value;
  }

  /** Only the values that also pass {@code test}, which the description already says. */
  public Allowed<T> where(Predicate<? super T> test) {
    return where(test, description);
  }

  /** Only the values that also pass {@code test}; {@code narrower} says which those are. */
  public Allowed<T> where(Predicate<? super T> test, String narrower) {
    return new Allowed<>(narrower, text -> {
      T value = read(text);
      return test.test(value) ? value : null;
    });
  }

  /** The same values, described in other words (the unit, say). */
  public Allowed<T> describedAs(String other) {
    return new Allowed<>(other, reader);
  }

  /** Any text. */
  public static Allowed<String> anyText(String description) {
    return new Allowed<>(description, text -> text);
  }

  /** Whole numbers from {@code min} to {@code max}, written in decimal without a suffix. */
  public static Allowed<Integer> intIn(int min, int max) {
    return longIn(min, max).describedAs(range(min, max, Integer.MAX_VALUE)).map(Math::toIntExact);
  }

  /** Whole numbers from {@code min} to {@code max}, written in decimal without a suffix. */
  public static Allowed<Long> longIn(long min, long max) {
    return new Allowed<>(range(min, max, Long.MAX_VALUE), text -> {
      long value = Long.parseLong(text);
      return value >= min && value <= max ? value : null;
    });
  }

  /** The constants of {@code type}, written as their lower-case names. */
  public static <E extends Enum<E>> Allowed<E> oneOf(Class<E> type) {
    E[] constants = type.getEnumConstants();
    String names = Arrays.stream(constants).map(Allowed::lowerCase)
        .collect(Collectors.joining(", "));
    int lastComma = names.lastIndexOf(", ");
    String description = lastComma < 0 ? names
        : names.substring(0, lastComma) + " or " + names.substring(lastComma + 2);
    return new Allowed<>(description, text -> Arrays.stream(constants)
        .filter(e -> lowerCase(e).equals(text)).findFirst().orElse(null));
  }

  private <R> Allowed<R> map(Function<T, R> convert) {
    return new Allowed<>(description, text -> convert.apply(read(text)));
  }

  private static String range(long min, long max, long unbounded) {
    return max == unbounded ? "a whole number, at least " + min
        : "a whole number in " + min + ".." + max;
  }

  private static String lowerCase(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT);
  }
}
