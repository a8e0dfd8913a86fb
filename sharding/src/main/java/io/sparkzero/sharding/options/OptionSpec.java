package io.sparkzero.sharding.options;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One option: key, type, default, what values are allowed and a one-line description. Parses a
 * raw value (from YAML, a {@code --set key=value} override or a text map) into its typed form, and
 * checks a value built in code; either fails with a {@link ConfigException} that names the key,
 * the value and what is allowed.
 *
 * @param <T> the value's Java type
 */
public final class OptionSpec<T> {
  private final String key;
  private final Class<T> type;
  private final T defaultValue;
  private final String allowed;
  private final Predicate<T> valid;
  private final String doc;
  /** For a value of a type of its own: reads its text form (null when not allowed); else null. */
  private final Function<String, T> reader;
  private final Function<T, String> shown;
  /** Whether a text value is read in lower case (a choice among lower-case words). */
  private final boolean lowerCase;

  private OptionSpec(String key, Class<T> type, T defaultValue, String allowed, Predicate<T> valid, String doc) {
    this(key, type, defaultValue, allowed, valid, doc, null, String::valueOf, false);
  }

  private OptionSpec(String key, Class<T> type, T defaultValue, String allowed, Predicate<T> valid,
      String doc, Function<String, T> reader, Function<T, String> shown, boolean lowerCase) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.valid = valid;
    this.doc = doc;
    this.reader = reader;
    this.shown = shown;
    this.lowerCase = lowerCase;
  }

  /**
   * A value of a type of its own (an enum, say), read from its text form by {@code reader}, which
   * returns null or throws for a text that names no value; {@code shown} writes the text form back.
   */
  public static <T> OptionSpec<T> typed(String key, Class<T> type, T def, String allowed,
      Function<String, T> reader, Function<T, String> shown, String doc) {
    return new OptionSpec<>(key, type, def, allowed, v -> true, doc, reader, shown, false);
  }

  /** An integer in {@code [min, max]}. */
  public static OptionSpec<Integer> intRange(String key, int def, int min, int max, String doc) {
    return new OptionSpec<>(key, Integer.class, def, "an integer in [" + min + ", " + max + "]",
        v -> v >= min && v <= max, doc);
  }

  /** A long in {@code [min, max]}. */
  public static OptionSpec<Long> longRange(String key, long def, long min, long max, String doc) {
    return new OptionSpec<>(key, Long.class, def, "an integer in [" + min + ", " + max + "]",
        v -> v >= min && v <= max, doc);
  }

  /**
   * An integer that {@code valid} accepts (a range and more: a multiple of 32, a power of two);
   * {@code allowed} says in words what that is.
   */
  public static OptionSpec<Integer> intWhere(String key, int def, String allowed,
      Predicate<Integer> valid, String doc) {
    return new OptionSpec<>(key, Integer.class, def, allowed, valid, doc);
  }

  /** A long that {@code valid} accepts; {@code allowed} says in words what that is. */
  public static OptionSpec<Long> longWhere(String key, long def, String allowed,
      Predicate<Long> valid, String doc) {
    return new OptionSpec<>(key, Long.class, def, allowed, valid, doc);
  }

  /** A number in {@code (minExclusive, max]}. */
  public static OptionSpec<Double> doubleRange(String key, double def, double minExclusive, double max, String doc) {
    return new OptionSpec<>(key, Double.class, def, "a number in (" + minExclusive + ", " + max + "]",
        v -> v > minExclusive && v <= max && !v.isNaN(), doc);
  }

  /** A number in {@code [min, maxExclusive)}. */
  public static OptionSpec<Double> doubleHalfOpen(String key, double def, double min, double maxExclusive, String doc) {
    return new OptionSpec<>(key, Double.class, def, "a number in [" + min + ", " + maxExclusive + ")",
        v -> v >= min && v < maxExclusive, doc);
  }

  /** A number at least {@code min}, at most {@code max}. */
  public static OptionSpec<Double> doubleClosed(String key, double def, double min, double max, String doc) {
    return new OptionSpec<>(key, Double.class, def, "a number in [" + min + ", " + max + "]",
        v -> v >= min && v <= max, doc);
  }

  /**
   * A number in {@code [min, max]} that may be left empty: the default then depends on other
   * options ({@code whenEmpty} says how); reads as NaN.
   */
  public static OptionSpec<Double> optionalDouble(String key, double min, double max,
      String whenEmpty, String doc) {
    return new OptionSpec<>(key, Double.class, Double.NaN, "a number in [" + min + ", " + max
        + "]; empty: " + whenEmpty, v -> v.isNaN() || (v >= min && v <= max), doc);
  }

  /** One of a fixed set of lower-case words, read in any case. */
  public static OptionSpec<String> oneOf(String key, String def, List<String> choices, String doc) {
    return new OptionSpec<>(key, String.class, def, "one of " + String.join(" | ", choices),
        choices::contains, doc, null, String::valueOf, true);
  }

  /** true or false. */
  public static OptionSpec<Boolean> bool(String key, boolean def, String doc) {
    return new OptionSpec<>(key, Boolean.class, def, "true | false", v -> true, doc);
  }

  /** Any non-empty string (further checked where it is used, e.g. a data spec). */
  public static OptionSpec<String> string(String key, String def, String allowed, String doc) {
    return new OptionSpec<>(key, String.class, def, allowed, v -> !v.isBlank(), doc);
  }

  /** A string that may be left empty (meaning "not set"). */
  public static OptionSpec<String> optionalString(String key, String allowed, String doc) {
    return new OptionSpec<>(key, String.class, "", allowed, v -> true, doc);
  }

  /**
   * A string (read trimmed) that {@code valid} accepts, an address say; {@code allowed} says in
   * words what that is.
   */
  public static OptionSpec<String> stringWhere(String key, String def, String allowed,
      Predicate<String> valid, String doc) {
    return new OptionSpec<>(key, String.class, def, allowed, valid, doc);
  }

  public String key() {
    return key;
  }

  public Class<T> type() {
    return type;
  }

  public T defaultValue() {
    return defaultValue;
  }

  /** The default as the option table shows it: empty when it depends on other options. */
  public String shownDefault() {
    return defaultValue instanceof Double d && d.isNaN() ? "" : show(defaultValue);
  }

  /** A value's text form, as a job file would give it. */
  public String show(Object value) {
    return shown.apply(type.cast(value));
  }

  public String allowed() {
    return allowed;
  }

  public String doc() {
    return doc;
  }

  /** Parses and validates a raw value: a String, a Number or a Boolean. */
  public T parse(Object raw) {
    T value = convert(raw);
    if (!valid.test(value)) {
      throw new ConfigException(key, String.valueOf(raw), allowed);
    }
    return value;
  }

  /**
   * Validates a value built in code rather than parsed (a record's field, a builder's argument):
   * returns it when allowed, else throws the {@link ConfigException} that {@link #parse} would.
   */
  public T check(T value) {
    if (value == null) {
      throw new ConfigException(key, "null", allowed);
    }
    if (!valid.test(value)) {
      throw new ConfigException(key, show(value), allowed);
    }
    return value;
  }

  private T convert(Object raw) {
    if (raw == null) {
      throw new ConfigException(key, "null", allowed);
    }
    if (reader != null) {
      return read(raw);
    }
    String text = raw.toString().trim();
    try {
      if (type == Integer.class) {
        if (raw instanceof Double || raw instanceof Float) {
          throw new NumberFormatException();
        }
        return type.cast(Integer.valueOf(text));
      }
      if (type == Long.class) {
        if (raw instanceof Double || raw instanceof Float) {
          throw new NumberFormatException();
        }
        return type.cast(Long.valueOf(text));
      }
      if (type == Double.class) {
        if (Double.isNaN((Double) defaultValue)
            && (text.isEmpty() || text.equalsIgnoreCase("nan"))) {
          return type.cast(Double.NaN); // not set (a config written back out shows NaN)
        }
        if (text.equalsIgnoreCase("nan")) {
          throw new NumberFormatException();
        }
        return type.cast(Double.valueOf(text));
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(key, text, allowed);
    }
    if (type == Boolean.class) {
      if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
        return type.cast(Boolean.valueOf(text));
      }
      throw new ConfigException(key, text, allowed);
    }
    if (raw instanceof java.util.Map || raw instanceof java.util.List) {
      throw new ConfigException(key, text, allowed);
    }
    if (lowerCase) {
      text = text.toLowerCase(Locale.ROOT);
    }
    return type.cast(text);
  }

  private T read(Object raw) {
    if (type.isInstance(raw)) {
      return type.cast(raw); // already read (a configuration copied with one more override)
    }
    String text = raw.toString().trim();
    T value;
    try {
      value = reader.apply(text);
    } catch (RuntimeException e) {
      value = null;
    }
    if (value == null) {
      throw new ConfigException(key, text, allowed);
    }
    return value;
  }
}
