package io.sparkzero.bench.model;

import io.sparkzero.bench.BenchArgs;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.OneDnnHelpers;
import io.sparkzero.worker.model.TrainableModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.Random;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures {@link TrainableModel#computeGradient} throughput (forward + backward, no optimizer)
 * of a zoo model on random Fashion-MNIST-shaped batches, to choose the ND4J CPU build by
 * measurement.
 *
 * <p>Usage: {@code ModelThroughputBenchmark MODEL BATCH STEPS THREADS [RUNS [HELPERS]]}. {@code
 * HELPERS} is {@code default} (whatever {@link OneDnnHelpers#enabled()} decides), {@code builtin}
 * (no layer helpers: DL4J's own path) or a comma list of {@code conv}, {@code pool}, {@code bn},
 * or {@code all}: exactly the layer helpers {@link OneDnnHelpers} puts on the network; RUNS is 5
 * unless given. Prints one line per timed run and a final line with the medians of samples per
 * wall second and per CPU second.
 * Run with {@code OMP_NUM_THREADS=THREADS} as well: ND4J reads it when the native library loads;
 * the in-process setting below only caps what it may use afterwards.
 */
public final class ModelThroughputBenchmark {

  private static final int WARMUP_STEPS = 3;

  private ModelThroughputBenchmark() {}

  /** Runs the benchmark with the command line the class comment describes. */
  public static void main(String[] argv) throws IOException {
    ModelThroughputArgs args = BenchArgs.orExit(() -> ModelThroughputArgs.parse(argv));
    String modelName = args.model();
    int batchSize = args.batch();
    int steps = args.steps();
    int threads = args.threads();
    int runs = args.runs();
    String helpers = args.helpers();
    if (!helpers.equals("default")) {
      System.setProperty(OneDnnHelpers.PROPERTY, "off");
    }

    Nd4j.getEnvironment().setMaxThreads(threads);
    Nd4j.getEnvironment().setMaxMasterThreads(threads);
    TrainableModel model = ModelZoo.build(modelName, 1);
    int forced =
        helpers.equals("default") ? -1 : OneDnnHelpers.install(model, helperKinds(helpers));
    Random random = new Random(1);
    INDArray features = Nd4j.rand(DataType.FLOAT, batchSize, model.numFeatures());
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batchSize, model.numClasses());
    for (int i = 0; i < batchSize; i++) {
      labels.putScalar(i, random.nextInt(model.numClasses()), 1.0);
    }

    System.out.printf(
        "model=%s params=%d batch=%d steps=%d threads=%d dl4jOneDnnHelpers=%s helpers=%s"
            + " forcedLayers=%d oneDnnBuild=%s native=%s%n",
        modelName,
        model.numParams(),
        batchSize,
        steps,
        threads,
        BaseMKLDNNHelper.mklDnnEnabled(),
        helpers,
        forced,
        OneDnnHelpers.oneDnnBuild(),
        nativeLibrary());
    for (int i = 0; i < WARMUP_STEPS; i++) {
      model.computeGradient(features, labels);
    }
    double[] samplesPerS = new double[runs];
    double[] samplesPerCpuS = new double[runs];
    for (int run = 0; run < runs; run++) {
      long startCpuNs = processCpuNs();
      long startNs = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        model.computeGradient(features, labels);
      }
      double elapsedS = (System.nanoTime() - startNs) / 1e9;
      double cpuS = (processCpuNs() - startCpuNs) / 1e9;
      samplesPerS[run] = (double) batchSize * steps / elapsedS;
      samplesPerCpuS[run] = (double) batchSize * steps / cpuS;
      System.out.printf(
          "run %d: %.1f samples/s wall, %.1f samples/cpu-s (%.1f ms/step)%n",
          run, samplesPerS[run], samplesPerCpuS[run], 1e3 * elapsedS / steps);
    }
    System.out.printf(
        "RESULT model=%s batch=%d threads=%d helpers=%s median_samples_per_s=%.1f"
            + " median_samples_per_cpu_s=%.1f%n",
        modelName, batchSize, threads, helpers, median(samplesPerS), median(samplesPerCpuS));
  }

  /** {@code builtin}, {@code all} or a comma list of {@code conv}, {@code pool}, {@code bn}. */
  static Set<OneDnnHelpers.Kind> helperKinds(String spec) {
    Set<OneDnnHelpers.Kind> kinds = EnumSet.noneOf(OneDnnHelpers.Kind.class);
    if (spec.equals("builtin")) {
      return kinds;
    }
    if (spec.equals("all")) {
      return OneDnnHelpers.all();
    }
    for (String part : spec.split(",")) {
      kinds.add(
          switch (part) {
            case "conv" -> OneDnnHelpers.Kind.CONVOLUTION;
            case "pool" -> OneDnnHelpers.Kind.SUBSAMPLING;
            case "bn" -> OneDnnHelpers.Kind.BATCH_NORM;
            default -> throw new IllegalArgumentException(
                "helpers: expected builtin, all or a comma list of conv, pool, bn; got " + spec);
          });
    }
    return kinds;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /**
   * CPU time of the whole process (all native threads). On a shared machine, samples per
   * CPU-second is steadier than per wall-second, because time spent descheduled does not count.
   */
  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The libnd4jcpu build that was actually loaded, read from the process's memory map. */
  private static String nativeLibrary() throws IOException {
    Path maps = Path.of("/proc/self/maps");
    if (!Files.isReadable(maps)) {
      return "unknown";
    }
    try (var lines = Files.lines(maps)) {
      return lines
          .filter(line -> line.contains("libnd4jcpu"))
          .map(line -> line.substring(line.indexOf('/')))
          .findFirst()
          .orElse("unknown");
    }
  }
}
