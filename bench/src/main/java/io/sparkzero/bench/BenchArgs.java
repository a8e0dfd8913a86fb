package io.sparkzero.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A benchmark's command line, read against the {@link BenchOption}s it declares: positional
 * arguments in order, flags anywhere ({@code --procs 4}); absent ones take their defaults. Every
 * value is checked before the benchmark starts, and a bad one is refused with one line that names
 * the option, the value and what is allowed, followed by the usage line ({@code RANKS 0: expected
 * a whole number in 1..1024; usage: CheckpointIoBenchmark DIR [SHARD_BYTES] [RANKS] [RUNS]
 * (defaults 1073741824 2 3)}).
 *
 * <p>In a benchmark without flags every argument is positional, even one that starts with
 * {@code --}.
 */
public final class BenchArgs {
  private final String usage;
  private final Map<BenchOption<?>, Object> values;

  private BenchArgs(String usage, Map<BenchOption<?>, Object> values) {
    this.usage = usage;
    this.values = values;
  }

  /**
   * Reads {@code argv} against {@code options}, the required positional ones first, then the
   * optional ones, then the flags in any order.
   *
   * @param program the benchmark's name in the usage line, e.g. {@code CheckpointIoBenchmark}
   * @throws IllegalArgumentException with a one-line message when the command line is not allowed
   */
  public static BenchArgs parse(String program, List<BenchOption<?>> options, String... argv) {
    String usage = usage(program, options);
    List<BenchOption<?>> positionals = options.stream().filter(BenchOption::positional).toList();
    Map<String, BenchOption<?>> flags = new HashMap<>();
    options.stream().filter(o -> !o.positional()).forEach(o -> flags.put(o.name(), o));
    Map<BenchOption<?>, List<String>> texts = new LinkedHashMap<>();
    int nextPositional = 0;
    for (int i = 0; i < argv.length; i++) {
      String arg = argv[i];
      if (flags.isEmpty() || !arg.startsWith("--")) {
        if (nextPositional == positionals.size()) {
          throw new IllegalArgumentException("unexpected argument " + arg + "; " + usage);
        }
        texts.put(positionals.get(nextPositional++), List.of(arg));
        continue;
      }
      BenchOption<?> flag = flags.get(arg);
      if (flag == null) {
        throw new IllegalArgumentException("unknown argument " + arg + "; " + usage);
      }
      List<String> flagTexts = new ArrayList<>();
      if (flag.arity() == BenchOption.Arity.LIST) {
        while (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          flagTexts.add(argv[++i]);
        }
      } else if (i + 1 < argv.length) {
        flagTexts.add(argv[++i]);
      }
      if (flagTexts.isEmpty()) {
        throw new IllegalArgumentException(
            arg + " without a value: expected " + flag.allowed() + "; " + usage);
      }
      if (flag.arity() == BenchOption.Arity.REPEATED) {
        texts.computeIfAbsent(flag, f -> new ArrayList<>()).addAll(flagTexts);
      } else {
        texts.put(flag, flagTexts);
      }
    }
    if (nextPositional < positionals.size() && positionals.get(nextPositional).required()) {
      BenchOption<?> missing = positionals.get(nextPositional);
      throw new IllegalArgumentException(
          "missing " + missing.name() + ": expected " + missing.allowed() + "; " + usage);
    }
    Map<BenchOption<?>, Object> values = new HashMap<>();
    for (BenchOption<?> option : options) {
      List<String> given = texts.get(option);
      values.put(option, given == null ? option.defaultValue() : option.read(given, usage));
    }
    return new BenchArgs(usage, values);
  }

  /** The value of {@code option}: as given, or its default. */
  @SuppressWarnings("unchecked")
  public <T> T get(BenchOption<T> option) {
    if (!values.containsKey(option)) {
      throw new IllegalArgumentException(option.name() + " is not an option of this benchmark");
    }
    return (T) values.get(option);
  }

  /**
   * The error for a value that the option alone allows but the others do not (a file size that
   * is not a multiple of the block size), in the same one-line form as every other.
   *
   * @param expected what is allowed given the other values, e.g. {@code "a multiple of
   *     BLOCK_BYTES 8388608"}
   */
  public IllegalArgumentException invalid(BenchOption<?> option, Object value, String expected) {
    return option.invalid(value, expected, usage);
  }

  /** {@code usage: PROGRAM DIR [RUNS] [--procs N]... (defaults ...)}, one line. */
  public String usage() {
    return usage;
  }

  /**
   * Runs {@code parse}, a benchmark's reading of its command line; when that refuses the command
   * line, prints the one-line reason on stderr and exits with status 2.
   */
  public static <T> T orExit(Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      throw new IllegalStateException("System.exit returned", e);
    }
  }

  private static String usage(String program, List<BenchOption<?>> options) {
    String arguments = options.stream().filter(o -> !o.isInternal()).map(BenchOption::usage)
        .collect(Collectors.joining(" "));
    List<String> defaults = options.stream()
        .filter(o -> o.positional() && !o.required())
        .map(o -> String.valueOf(o.defaultValue())).toList();
    return "usage: " + program + (arguments.isEmpty() ? "" : " " + arguments)
        + (defaults.isEmpty() ? "" : " (defaults " + String.join(" ", defaults) + ")");
  }
}
