package io.sparkzero.bench.collective;

import io.sparkzero.sharding.collective.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Command line of {@link AllReduceBenchmark}. Options: {@code --procs N} (2), {@code --sizes-mb A
 * B ...} (4 80, decimal megabytes as in the gloo peer), {@code --reps R} (9), {@code
 * --jit-warmup-ms W} (3000 ms of 1 MiB all-reduces before measuring), {@code --transports
 * ipc,udp} (both), {@code --memory heap|native} (heap; whether the floats live in a {@code
 * float[]} or a direct buffer), and {@code collective.*} options as {@code --set key=value}. The parent adds
 * {@code --rank}, {@code --rendezvous-dir}, {@code --aeron-dir} and {@code --token} for its children.
 */
record BenchmarkArgs(
    int procs,
    List<Double> sizesMb,
    int reps,
    long jitWarmupMs,
    List<Transport> transports,
    Memory memory,
    List<String> settings,
    int rank,
    String rendezvousDir,
    String aeronDir,
    long token) {

  /** Where the benchmark's floats live. */
  enum Memory {
    /** A {@code float[]}. */
    HEAP,
    /** A direct {@code ByteBuffer} in native byte order: native memory, where DL4J keeps its arrays. */
    NATIVE;

    static Memory parse(String value) {
      return switch (value) {
        case "heap" -> HEAP;
        case "native" -> NATIVE;
        default -> throw new IllegalArgumentException("--memory " + value
            + ": expected heap or native");
      };
    }

    String configValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  static BenchmarkArgs parse(String[] args) {
    int procs = 2;
    List<Double> sizes = new ArrayList<>(List.of(4.0, 80.0));
    int reps = 9;
    long jitWarmupMs = 3000;
    List<Transport> transports = new ArrayList<>(List.of(Transport.IPC, Transport.UDP));
    Memory memory = Memory.HEAP;
    List<String> settings = new ArrayList<>();
    int rank = -1;
    String rendezvousDir = "";
    String aeronDir = "";
    long token = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--procs" -> procs = Integer.parseInt(value);
        case "--reps" -> reps = Integer.parseInt(value);
        case "--jit-warmup-ms" -> jitWarmupMs = Long.parseLong(value);
        case "--rank" -> rank = Integer.parseInt(value);
        case "--rendezvous-dir" -> rendezvousDir = value;
        case "--aeron-dir" -> aeronDir = value;
        case "--token" -> token = Long.parseUnsignedLong(value, 16);
        case "--set" -> settings.add(value);
        case "--memory" -> memory = Memory.parse(value);
        case "--transports" -> {
          transports.clear();
          for (String t : value.split(",")) {
            transports.add(Transport.parse(t));
          }
        }
        case "--sizes-mb" -> {
          sizes.clear();
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            sizes.add(Double.parseDouble(args[++i]));
          }
          continue;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]
            + "; expected --procs, --sizes-mb, --reps, --jit-warmup-ms, --transports, --memory"
            + " or --set key=value");
      }
      i++;
    }
    if (procs < 1 || reps < 1 || jitWarmupMs < 0 || sizes.isEmpty()) {
      throw new IllegalArgumentException("--procs and --reps must be positive, --jit-warmup-ms"
          + " not negative, --sizes-mb non-empty");
    }
    return new BenchmarkArgs(procs, sizes, reps, jitWarmupMs, transports, memory, settings, rank,
        rendezvousDir, aeronDir, token);
  }

  /** The arguments a child process of rank {@code r} gets. */
  List<String> forChild(int r, String rendezvous, String aeron, long jobToken) {
    List<String> out = new ArrayList<>(List.of("--procs", String.valueOf(procs), "--reps",
        String.valueOf(reps), "--jit-warmup-ms", String.valueOf(jitWarmupMs), "--rank", String.valueOf(r), "--rendezvous-dir", rendezvous,
        "--aeron-dir", aeron, "--token", Long.toHexString(jobToken), "--transports",
        String.join(",", transports.stream().map(Transport::configValue).toList()), "--memory",
        memory.configValue(), "--sizes-mb"));
    sizesMb.forEach(s -> out.add(String.valueOf(s)));
    settings.forEach(s -> out.addAll(List.of("--set", s)));
    return out;
  }
}
