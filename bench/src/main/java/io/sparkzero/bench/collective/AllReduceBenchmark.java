package io.sparkzero.bench.collective;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.management.OperatingSystemMXBean;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.sharding.collective.AeronCollectives;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FileRendezvous;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.sharding.collective.RuntimeOptions;
import io.sparkzero.sharding.collective.Transport;
import io.sparkzero.sharding.collective.Wire;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * All-reduce bus bandwidth of {@link AeronCollectives} between processes of this host, measured
 * like the gloo peer (BENCHMARKS.md, "Peers"): float32 sum, one warm-up, median of
 * {@code --reps} timed runs, bus bandwidth {@code 2(N-1)/N * bytes / time}. Run without {@code
 * --rank}, it starts {@code --procs} copies of itself (same JVM flags and classpath) that meet
 * through a {@link FileRendezvous} and share one media driver; rank 0 prints one JSON line per size
 * and transport. Before the sizes, {@code --jit-warmup-ms} of 1 MiB all-reduces let the JIT
 * compile the hot loops, as the first steps of a training job would. {@code --memory native} runs
 * every all-reduce, warm-up included, on direct buffers instead of {@code float[]}s, to measure
 * the path that DL4J's off-heap parameters take. {@code --wire bf16} or {@code fp16} sends 16-bit
 * elements (added in fp32 at every hop) instead of fp32 ones; the bus bandwidth is still that of the
 * fp32 data, so wires compare directly, and {@code wire_bus_bandwidth_GBps} counts the bytes that
 * travel.
 */
public final class AllReduceBenchmark {
  private static final int JIT_WARMUP_FLOATS = 1 << 18;
  private AllReduceBenchmark() {}

  public static void main(String[] argv) throws Exception {
    AllReduceArgs args = BenchArgs.orExit(() -> AllReduceArgs.parse(argv));
    if (args.rank() < 0) {
      System.exit(launch(args));
    }
    runRank(args);
  }

  private static int launch(AllReduceArgs args) throws IOException, InterruptedException {
    Path rendezvous = Files.createTempDirectory("spark-zero-bench-rendezvous-");
    long token = ThreadLocalRandom.current().nextLong();
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    Path aeronDir = parent.resolve("spark-zero-bench-" + Long.toHexString(token));
    List<Process> children = new ArrayList<>();
    for (int r = 0; r < args.procs(); r++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          AllReduceBenchmark.class.getName()));
      command.addAll(args.forChild(r, rendezvous.toString(), aeronDir.toString(), token));
      children.add(new ProcessBuilder(command).inheritIO().start());
    }
    int failed = 0;
    for (Process child : children) {
      failed += child.waitFor() == 0 ? 0 : 1;
    }
    try (var files = Files.list(rendezvous)) {
      for (Path file : files.toList()) {
        Files.deleteIfExists(file);
      }
    }
    Files.deleteIfExists(rendezvous);
    Files.deleteIfExists(aeronDir.resolveSibling(aeronDir.getFileName() + ".lock"));
    if (failed > 0) {
      System.err.println(failed + " of " + args.procs() + " benchmark processes failed");
    }
    return failed == 0 ? 0 : 1;
  }

  private static void runRank(AllReduceArgs args) {
    Rendezvous rendezvous =
        new FileRendezvous(Path.of(args.rendezvousDir()), args.rank(), args.procs(), 120_000);
    try (AeronRuntime runtime = AeronRuntime.acquire(
        RuntimeOptions.of(options(args, Transport.AUTO)))) {
      for (Transport transport : args.transports()) {
        CollectiveOptions options = options(args, transport);
        try (AeronCollectives collectives = AeronCollectives.create(rendezvous, options, runtime)) {
          warmUpJit(collectives, args.memory(), args.wire(), args.jitWarmupMs());
          for (double mb : args.sizesMb()) {
            measure(collectives, options, transport, args.memory(), args.wire(), mb, args.reps());
          }
        }
      }
    }
  }

  /**
   * 1 MiB all-reduces for {@code warmupMs} (as rank 0 measures it) so that the JIT compiles the hot
   * loops before measuring: without this C2 was still compiling the send and receive paths during
   * the 80 MB runs. The per-size protocol (one warm-up, then timed runs) stays the gloo peer's.
   */
  private static void warmUpJit(
      AeronCollectives collectives, AllReduceArgs.Memory memory, Wire wire, long warmupMs) {
    FloatBlock data = allocate(memory, JIT_WARMUP_FLOATS);
    int[] bounds = Collectives.evenBounds(0, data.length(), collectives.worldSize());
    long endNs = System.nanoTime() + warmupMs * 1_000_000L;
    boolean more = warmupMs > 0;
    while (more) {
      for (int i = 0; i < 10; i++) {
        data.fill(0, data.length(), 1f);
        collectives.allReduceSum(data, bounds, wire);
      }
      // Rank 0's clock decides for everyone; the byte gather also warms the shared receive path.
      byte[] verdict = {(byte) (System.nanoTime() < endNs ? 1 : 0)};
      more = collectives.allGatherBytes(verdict)[0][0] == 1;
    }
  }

  private static CollectiveOptions options(AllReduceArgs args, Transport transport) {
    Map<String, String> entries = new HashMap<>();
    for (String setting : args.settings()) {
      int eq = setting.indexOf('=');
      entries.put(setting.substring(0, eq), setting.substring(eq + 1));
    }
    entries.put("collective.transport", transport.configValue());
    entries.put("collective.aeron-dir", args.aeronDir());
    return CollectiveOptions.fromMap(args.token(), entries);
  }

  /** {@code floats} zeros in a {@code float[]} or a direct buffer. */
  private static FloatBlock allocate(AllReduceArgs.Memory memory, int floats) {
    return memory == AllReduceArgs.Memory.HEAP
        ? FloatBlock.of(new float[floats])
        : FloatBlock.ofDirect(
            ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()));
  }

  private static void measure(
      AeronCollectives collectives, CollectiveOptions options, Transport transport,
      AllReduceArgs.Memory memory, Wire wire, double mb, int reps) {
    int floats = (int) (mb * 1e6) / Float.BYTES;
    // The even split allReduceSum(data, 0, floats) uses, so fp32 runs measure what they did.
    int[] bounds = Collectives.evenBounds(0, floats, collectives.worldSize());
    FloatBlock data = allocate(memory, floats);
    data.fill(0, floats, 1f);
    collectives.allReduceSum(data, bounds, wire);
    collectives.barrier();
    double[] ms = new double[reps];
    double[] threadCpuMs = new double[reps];
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpu0 = os.getProcessCpuTime();
    for (int i = 0; i < reps; i++) {
      long cpu0 = threads.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      collectives.allReduceSum(data, bounds, wire);
      ms[i] = (System.nanoTime() - t0) / 1e6;
      threadCpuMs[i] = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6;
    }
    double processCpuMs = (os.getProcessCpuTime() - processCpu0) / 1e6 / reps;
    // Every process's CPU time per operation (its rank, and the media driver in one of them).
    double totalCpuMs = 0;
    for (byte[] cpu : collectives.allGatherBytes(Double.toString(processCpuMs).getBytes(UTF_8))) {
      totalCpuMs += Double.parseDouble(new String(cpu, UTF_8));
    }
    Arrays.sort(ms);
    Arrays.sort(threadCpuMs);
    double medianMs = ms[reps / 2];
    int n = collectives.worldSize();
    double busGBps = 2.0 * (n - 1) / n * floats * Float.BYTES / (medianMs / 1e3) / 1e9;
    double wireBusGBps = busGBps * wire.bytesPerElement() / Float.BYTES;
    if (collectives.rank() == 0) {
      System.out.println(String.format(Locale.ROOT,
          "{\"impl\": \"spark-zero-aeron\", \"transport\": \"%s\", \"memory\": \"%s\", "
              + "\"wire\": \"%s\", \"procs\": %d, \"bytes\": %d, \"median_ms\": %.2f, "
              + "\"bus_bandwidth_GBps\": %.3f, \"wire_bus_bandwidth_GBps\": %.3f, "
              + "\"chunk_bytes\": %d, \"bucket_bytes\": %d, \"back_pressure_retries\": %d, "
              + "\"rank0_thread_cpu_ms\": %.2f, \"all_processes_cpu_ms\": %.1f}",
          transport.configValue(), memory.configValue(), wire.configValue(), n,
          (long) floats * Float.BYTES, medianMs, busGBps, wireBusGBps, options.chunkBytes(),
          options.bucketBytes(),
          collectives.stats().backPressureRetries(), threadCpuMs[reps / 2], totalCpuMs));
    }
  }
}
