package io.sparkzero.driver.train;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.network.util.JavaUtils;
import org.bytedeco.javacpp.Pointer;

/**
 * The memory one rank may fill with model state, derived from the Spark settings the job runs
 * with. A rank's state lives partly on the JVM heap (optimizer state and shards) and partly in
 * ND4J's native memory (DL4J's parameter and gradient vectors), so the budget is the executor's
 * heap plus its off-heap allowance, divided among the ranks that share the executor:
 *
 * <ul>
 *   <li>local mode: every rank is a thread of the driver JVM: its heap plus ND4J's native limit
 *       (JavaCPP {@code maxBytes}), shared by all ranks;
 *   <li>local-cluster and standalone: {@code spark.executor.memory} (default 1g; a local cluster's MB is its workers') plus
 *       {@code spark.executor.memoryOverhead} when set, else plus the heap again (JavaCPP's default
 *       native limit equals the heap);
 *   <li>YARN and Kubernetes: {@code spark.executor.memory} plus the container's overhead
 *       ({@code spark.executor.memoryOverhead}, default max(384 MiB, 10% of the heap)), which the
 *       cluster enforces.
 * </ul>
 *
 * Ranks per executor: {@code spark.executor.cores / spark.task.cpus} (one barrier task per slot).
 */
public final class ExecutorMemory {
  private static final Pattern LOCAL_CLUSTER =
      Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*]");
  private static final long MIB = 1L << 20;

  private ExecutorMemory() {}

  /**
   * A per-rank budget and where it came from, for messages.
   *
   * @param bytes all a rank may use: its share of the heap and of the native memory
   * @param heapBytes its share of the Java heap alone, where held training data lives
   */
  public record Budget(long bytes, long heapBytes, String source) {}

  static Budget perRank(String master, Map<String, String> sparkConf, int worldSize) {
    if (master.equals("local") || master.startsWith("local[")) {
      long heap = Runtime.getRuntime().maxMemory();
      long nativeLimit = Pointer.maxBytes();
      return new Budget((heap + nativeLimit) / worldSize, heap / worldSize, String.format(
          "local mode: driver heap %d MiB + ND4J native limit %d MiB shared by %d ranks",
          heap / MIB, nativeLimit / MIB, worldSize));
    }
    Matcher cluster = LOCAL_CLUSTER.matcher(master);
    // A local cluster's MB is its workers' memory: its executors get spark.executor.memory (1g
    // by default) of it, as on a standalone cluster.
    long heap = JavaUtils.byteStringAsBytes(sparkConf.getOrDefault("spark.executor.memory", "1g"));
    int cores = cluster.matches() ? Integer.parseInt(cluster.group(2))
        : Integer.parseInt(sparkConf.getOrDefault("spark.executor.cores", "1"));
    int taskCpus = Integer.parseInt(sparkConf.getOrDefault("spark.task.cpus", "1"));
    int ranksPerExecutor = Math.max(1, Math.min(worldSize, cores / Math.max(1, taskCpus)));
    String overheadSetting = sparkConf.get("spark.executor.memoryOverhead");
    long offHeap;
    String offHeapSource;
    if (overheadSetting != null) {
      offHeap = JavaUtils.byteStringAsBytes(overheadSetting.matches("\\d+") ? overheadSetting + "m"
          : overheadSetting);
      offHeapSource = "spark.executor.memoryOverhead";
    } else if (master.startsWith("yarn") || master.startsWith("k8s")) {
      offHeap = Math.max(384 * MIB, heap / 10);
      offHeapSource = "default container overhead";
    } else {
      offHeap = heap;
      offHeapSource = "ND4J native limit (= heap)";
    }
    return new Budget((heap + offHeap) / ranksPerExecutor, heap / ranksPerExecutor, String.format(
        "executor heap %d MiB + %s %d MiB, %d rank(s) per executor",
        heap / MIB, offHeapSource, offHeap / MIB, ranksPerExecutor));
  }
}
