package io.sparkzero.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One argument a benchmark accepts: positional ({@code DIR}, {@code SHARD_BYTES}), in the order
 * declared, or a flag ({@code --procs N}), with its default and the values it {@link Allowed
 * allows}. A benchmark declares its options once, as constants of its arguments record, and
 * {@link BenchArgs#parse} reads a command line against them.
 *
 * @param <T> the type of the option's value; a list for a flag that takes several values
 */
public final class BenchOption<T> {

  /** How a flag takes its values. */
  enum Arity {
    /** One value, the next argument; given twice, the last one counts. */
    ONE,
    /** The arguments up to the next {@code --flag}: {@code --sizes-mb 4 80}. */
    LIST,
    /** One value each time it is given: {@code --set a=1 --set b=2}. */
    REPEATED
  }

  private final String name;
  private final String valueName;
  private final boolean positional;
  private final Arity arity;
  private final T defaultValue;
  private final Allowed<?> allowed;
  private final boolean internal;

  private BenchOption(String name, String valueName, boolean positional, Arity arity,
      T defaultValue, Allowed<?> allowed, boolean internal) {
    this.name = name;
    this.valueName = valueName;
    this.positional = positional;
    this.arity = arity;
    this.defaultValue = defaultValue;
    this.allowed = allowed;
    this.internal = internal;
  }

  /** A positional argument that must be given. */
  public static <T> BenchOption<T> required(String name, Allowed<T> allowed) {
    return new BenchOption<>(name, name, true, Arity.ONE, null, allowed, false);
  }

  /** A positional argument that may be left out, from the end; then it is {@code defaultValue}. */
  public static <T> BenchOption<T> optional(String name, T defaultValue, Allowed<T> allowed) {
    return new BenchOption<>(name, name, true, Arity.ONE, defaultValue, allowed, false);
  }

  /** {@code --name VALUE}, {@code defaultValue} when absent. */
  public static <T> BenchOption<T> flag(String name, String valueName, T defaultValue,
      Allowed<T> allowed) {
    return new BenchOption<>(name, valueName, false, Arity.ONE, defaultValue, allowed, false);
  }

  /** {@code --name A B ...}: the values up to the next flag, {@code defaultValue} when absent. */
  public static <T> BenchOption<List<T>> listFlag(String name, String valueName,
      List<T> defaultValue, Allowed<T> allowed) {
    return new BenchOption<>(name, valueName, false, Arity.LIST, List.copyOf(defaultValue),
        allowed, false);
  }

  /** {@code --name A --name B}: one value each time, none when absent. */
  public static <T> BenchOption<List<T>> repeatedFlag(String name, String valueName,
      Allowed<T> allowed) {
    return new BenchOption<>(name, valueName, false, Arity.REPEATED, List.of(), allowed, false);
  }

  /** This flag, left out of the usage line: a benchmark passes it to processes it starts. */
  public BenchOption<T> internal() {
    return new BenchOption<>(name, valueName, positional, arity, defaultValue, allowed, true);
  }

  /** {@code DIR} or {@code --procs}: what the command line and the error messages call it. */
  public String name() {
    return name;
  }

  /** What is allowed, in words. */
  public String allowed() {
    return allowed.description();
  }

  boolean positional() {
    return positional;
  }

  boolean required() {
    return positional && defaultValue == null;
  }

  boolean isInternal() {
    return internal;
  }

  Arity arity() {
    return arity;
  }

  T defaultValue() {
    return defaultValue;
  }

  /** {@code DIR}, {@code [RUNS]}, {@code [--procs N]}, {@code [--sizes-mb MB...]}... */
  String usage() {
    if (positional) {
      return required() ? name : "[" + name + "]";
    }
    return switch (arity) {
      case ONE -> "[" + name + " " + valueName + "]";
      case LIST -> "[" + name + " " + valueName + "...]";
      case REPEATED -> "[" + name + " " + valueName + "]...";
    };
  }

  /**
   * The value of {@code texts}, the option's arguments (one, unless a list), read one by one.
   *
   * @throws IllegalArgumentException naming the option, the first text not allowed and what is
   */
  @SuppressWarnings("unchecked")
  T read(List<String> texts, String usage) {
    List<Object> values = new ArrayList<>();
    for (String text : texts) {
      try {
        values.add(allowed.read(text));
      } catch (IllegalArgumentException e) {
        throw invalid(text, allowed.description(), usage);
      }
    }
    return (T) (arity == Arity.ONE ? values.get(values.size() - 1) : List.copyOf(values));
  }

  /** {@code NAME VALUE: expected ALLOWED; USAGE}, one line. */
  IllegalArgumentException invalid(Object value, String expected, String usage) {
    String shown = String.valueOf(value);
    return new IllegalArgumentException(name + " " + (shown.isEmpty() ? "''" : shown)
        + ": expected " + expected + "; " + usage);
  }
}
