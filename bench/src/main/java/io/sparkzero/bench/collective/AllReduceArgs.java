package io.sparkzero.bench.collective;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Transport;
import io.sparkzero.sharding.collective.Wire;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Command line of {@link AllReduceBenchmark}; the options below, with their defaults, are listed
 * in {@code sharding/README.md}. The parent adds {@code --rank}, {@code --rendezvous-dir}, {@code
 * --aeron-dir} and {@code --token} for its children.
 */
record AllReduceArgs(
    int procs,
    List<Double> sizesMb,
    int reps,
    long jitWarmupMs,
    List<Transport> transports,
    Memory memory,
    Wire wire,
    List<String> settings,
    int rank,
    String rendezvousDir,
    String aeronDir,
    long token) {

  /** Largest size: its floats, as bytes, still fit in an {@code int}. */
  private static final double MAX_SIZE_MB = 2147;

  static final BenchOption<Integer> PROCS =
      BenchOption.flag("--procs", "N", 2, Allowed.intIn(1, Integer.MAX_VALUE));
  /** Decimal megabytes, as in the gloo peer. */
  static final BenchOption<List<Double>> SIZES_MB = BenchOption.listFlag("--sizes-mb", "MB",
      List.of(4.0, 80.0), new Allowed<>("a decimal number of megabytes, more than 0 and at most "
          + (int) MAX_SIZE_MB, Double::parseDouble).where(mb -> mb > 0 && mb <= MAX_SIZE_MB));
  static final BenchOption<Integer> REPS =
      BenchOption.flag("--reps", "R", 9, Allowed.intIn(1, Integer.MAX_VALUE));
  /** Milliseconds of 1 MiB all-reduces before measuring. */
  static final BenchOption<Long> JIT_WARMUP_MS =
      BenchOption.flag("--jit-warmup-ms", "MS", 3000L, Allowed.longIn(0, Long.MAX_VALUE));
  static final BenchOption<List<Transport>> TRANSPORTS = BenchOption.flag("--transports",
      "ipc,udp", List.of(Transport.IPC, Transport.UDP), new Allowed<>(
          "a comma list of ipc, udp, auto", AllReduceArgs::transports));
  /** Whether the floats live in a {@code float[]} or a direct buffer. */
  static final BenchOption<Memory> MEMORY =
      BenchOption.flag("--memory", "heap|native", Memory.HEAP, Allowed.oneOf(Memory.class));
  /** How the floats travel: fp32, or 16-bit elements added in fp32 at every hop. */
  static final BenchOption<Wire> WIRE =
      BenchOption.flag("--wire", "fp32|bf16|fp16", Wire.FP32, Allowed.oneOf(Wire.class));
  /** A {@code collective.*} option. */
  static final BenchOption<List<String>> SET = BenchOption.repeatedFlag("--set", "key=value",
      Allowed.anyText("key=value, the key one of " + CollectiveOptionSpecs.ALL.stream()
          .map(OptionSpec::key).collect(Collectors.joining(", ")))
          .where(AllReduceArgs::isCollectiveSetting));
  static final BenchOption<Integer> RANK =
      BenchOption.flag("--rank", "R", -1, Allowed.intIn(0, Integer.MAX_VALUE)).internal();
  static final BenchOption<String> RENDEZVOUS_DIR =
      BenchOption.flag("--rendezvous-dir", "DIR", "", Allowed.anyText("a directory")).internal();
  static final BenchOption<String> AERON_DIR =
      BenchOption.flag("--aeron-dir", "DIR", "", Allowed.anyText("a directory")).internal();
  static final BenchOption<Long> TOKEN = BenchOption.flag("--token", "HEX", 0L, new Allowed<>(
      "a hexadecimal job token", text -> Long.parseUnsignedLong(text, 16))).internal();

  private static final List<BenchOption<?>> OPTIONS = List.of(PROCS, SIZES_MB, REPS,
      JIT_WARMUP_MS, TRANSPORTS, MEMORY, WIRE, SET, RANK, RENDEZVOUS_DIR, AERON_DIR, TOKEN);

  /** Where the benchmark's floats live. */
  enum Memory {
    /** A {@code float[]}. */
    HEAP,
    /**
     * A direct {@code ByteBuffer} in native byte order: native memory, where DL4J keeps its arrays.
     */
    NATIVE;

    String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static AllReduceArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("AllReduceBenchmark", OPTIONS, argv);
    Map<String, String> entries = new LinkedHashMap<>();
    for (String setting : args.get(SET)) {
      int eq = setting.indexOf('=');
      entries.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    try {
      CollectiveOptions.fromMap(0, entries); // every value, and the checks relating two options
    } catch (ConfigException e) {
      String key = e.key();
      if (!entries.containsKey(key)) {
        throw e; // a default that does not go with a setting: the message names both
      }
      throw args.invalid(SET, key + "=" + entries.get(key),
          key + " " + CollectiveOptionSpecs.named(key).allowed());
    }
    int procs = args.get(PROCS);
    if (args.get(RANK) >= procs) {
      throw args.invalid(RANK, args.get(RANK), "a rank in 0.." + (procs - 1));
    }
    return new AllReduceArgs(procs, args.get(SIZES_MB), args.get(REPS), args.get(JIT_WARMUP_MS),
        args.get(TRANSPORTS), args.get(MEMORY), args.get(WIRE), args.get(SET), args.get(RANK),
        args.get(RENDEZVOUS_DIR), args.get(AERON_DIR), args.get(TOKEN));
  }

  /** The arguments a child process of rank {@code r} gets. */
  List<String> forChild(int r, String rendezvous, String aeron, long jobToken) {
    List<String> out = new ArrayList<>(List.of(PROCS.name(), String.valueOf(procs),
        REPS.name(), String.valueOf(reps), JIT_WARMUP_MS.name(), String.valueOf(jitWarmupMs),
        RANK.name(), String.valueOf(r), RENDEZVOUS_DIR.name(), rendezvous,
        AERON_DIR.name(), aeron, TOKEN.name(), Long.toHexString(jobToken),
        TRANSPORTS.name(), transports.stream().map(Transport::configValue)
            .collect(Collectors.joining(",")),
        MEMORY.name(), memory.configValue(), WIRE.name(), wire.configValue(),
        SIZES_MB.name()));
    sizesMb.forEach(s -> out.add(String.valueOf(s)));
    settings.forEach(s -> out.addAll(List.of(SET.name(), s)));
    return out;
  }

  private static List<Transport> transports(String commaList) {
    return Arrays.stream(commaList.split(",", -1)).map(Transport::parse).toList();
  }

  private static boolean isCollectiveSetting(String setting) {
    int eq = setting.indexOf('=');
    return eq > 0 && CollectiveOptionSpecs.ALL.stream()
        .anyMatch(spec -> spec.key().equals(setting.substring(0, eq)));
  }
}
