package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.AeronCollectives;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.CollectiveStats;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.LocalRendezvous;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.sharding.collective.RuntimeOptions;
import io.sparkzero.worker.data.BatchMaker;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.StepReport;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Ranks as threads of this JVM, talking over a real Aeron media driver (IPC), for parity tests:
 * each rank trains {@code steps} steps, taking its slice of each global batch in rank order.
 */
final class RankGroup implements AutoCloseable {
  private final Path aeronDir;
  private final AeronRuntime runtime;

  RankGroup() {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    aeronDir = parent.resolve("spark-zero-parity-" + UUID.randomUUID());
    runtime = AeronRuntime.acquire(RuntimeOptions.of(aeronDir));
  }

  /**
   * One group per test class, started before its tests and closed after them: {@code
   * @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();}.
   */
  static final class Fixture implements BeforeAllCallback, AfterAllCallback {
    private RankGroup group;

    @Override
    public void beforeAll(ExtensionContext context) {
      group = new RankGroup();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      group.close();
    }

    RankGroup group() {
      return group;
    }
  }

  /** What one rank ended with. */
  record RankResult(ZeroTrainer trainer, float[] shardParams, List<Double> losses,
      List<StepReport> reports, StepTimes times, CollectiveStats stats) {}

  /** Trains on {@code ranks} threads and returns each rank's result, by rank. */
  List<RankResult> train(String model, int ranks, ZeroOptions zero, OptimizerOptions optimizer,
      LocalDataset data, int globalBatch, int steps) throws Exception {
    return train(model, ranks, zero, OffloadOptions.none(), optimizer, data, globalBatch, steps);
  }

  /** {@link #train} with the ranks' optimizer state where {@code offload} puts it. */
  List<RankResult> train(String model, int ranks, ZeroOptions zero, OffloadOptions offload,
      OptimizerOptions optimizer, LocalDataset data, int globalBatch, int steps)
      throws Exception {
    return train(new Run(model, 42, ranks, zero, offload, optimizer), data, globalBatch, 0, steps,
        Hooks.NONE);
  }

  /**
   * What the ranks are: the model (and its initialization seed), how many, how they shard, how
   * they step: the learning rate per global step and the micro-batches each rank's slice of a
   * global batch is cut into.
   */
  record Run(String model, long modelSeed, int ranks, ZeroOptions zero, OffloadOptions offload,
      OptimizerOptions optimizer, LearningRateSchedule schedule, int microBatches,
      LossScale.Options lossScale, boolean halfPrecision) {
    Run(String model, long modelSeed, int ranks, ZeroOptions zero, OffloadOptions offload,
        OptimizerOptions optimizer) {
      this(model, modelSeed, ranks, zero, offload, optimizer,
          LearningRateSchedule.constant(optimizer.learningRate()), 1,
          LossScale.Options.fullPrecision(ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS), false);
    }
  }

  /** Called on each rank's thread around its steps (a restore before, a save after). */
  interface Hooks {
    Hooks NONE = new Hooks() {};

    default void beforeSteps(ZeroTrainer trainer, Collectives collectives) {}

    default void afterSteps(ZeroTrainer trainer, Collectives collectives) {}

    /** How examples become input and target (the job's objective); classification unless told. */
    default BatchMaker batches() {
      return BatchMaker.CLASSIFY;
    }

    /** What adds to each rank's micro-batches (adversarial examples); nothing unless told. */
    default StepAugmenter augmenter(ZeroTrainer trainer, int rank) {
      return StepAugmenter.NONE;
    }

    /** Micro-batch {@code micro} a rank trains on at a step (tests swap in a corrupt one). */
    default LocalDataset.Batch batch(int rank, int step, int micro, LocalDataset.Batch batch) {
      return batch;
    }
  }

  /**
   * Trains global steps {@code [fromStep, toStep)} of the data order on {@code run.ranks()}
   * threads (global batch {@code s} is examples {@code [s * globalBatch, (s + 1) * globalBatch)},
   * cut in rank order), with {@code hooks} around the steps; returns each rank's result, by rank.
   */
  List<RankResult> train(Run run, LocalDataset data, int globalBatch, int fromStep, int toStep,
      Hooks hooks) throws Exception {
    String model = run.model();
    int ranks = run.ranks();
    List<Rendezvous> group = LocalRendezvous.group(ranks, 60_000);
    long token = new SplittableRandom().nextLong();
    List<CompletableFuture<RankResult>> futures = new ArrayList<>();
    for (Rendezvous rendezvous : group) {
      futures.add(CompletableFuture.supplyAsync(() -> {
        CollectiveOptions options = CollectiveOptions.builder(token).aeronDir(aeronDir)
            .termBytes(4 << 20).timeoutMs(60_000).build();
        try (Collectives collectives = AeronCollectives.create(rendezvous, options, runtime)) {
          int rank = rendezvous.rank();
          TrainableModel built = ModelZoo.build(model, run.modelSeed());
          ZeroTrainer trainer = ZeroTrainer.create(
              run.halfPrecision() ? built.toHalfPrecision() : built, run.optimizer(),
              run.schedule(), run.lossScale(), run.zero(), run.offload(),
              "parity-" + token + "-rank-" + rank, rank, ranks);
          hooks.beforeSteps(trainer, collectives);
          List<Double> losses = new ArrayList<>();
          List<StepReport> reports = new ArrayList<>();
          StepTimes times = StepTimes.ZERO;
          int[] bounds = Collectives.evenBounds(0, globalBatch, ranks);
          int micro = run.microBatches();
          int size = (bounds[rank + 1] - bounds[rank]) / micro;
          StepAugmenter.CleanBatches clean = StepAugmenter.CleanBatches.of(toStep, fromStep, micro, (step, i) -> {
            int first = step * globalBatch + bounds[rank];
            int[] idx = new int[size];
            for (int j = 0; j < size; j++) {
              idx[j] = first + i * size + j;
            }
            return hooks.batches().batch(data, idx);
          });
          StepAugmenter augmenter = hooks.augmenter(trainer, rank);
          try {
            for (int step = fromStep; step < toStep; step++) {
              int s = step;
              augmenter.beforeStep(trainer, collectives, 0, step, clean);
              MicroBatches batches = StepAugmenter.microBatches(augmenter, s, micro,
                  i -> hooks.batch(rank, s, i, clean.batch(s, i)));
              ZeroTrainer.StepOutcome outcome = trainer.step(batches, collectives, step);
              losses.add(outcome.meanLoss());
              reports.add(outcome.report());
              times = times.plus(outcome.times());
            }
          } finally {
            augmenter.endEpoch();
          }
          hooks.afterSteps(trainer, collectives);
          trainer.endEpoch();
          return new RankResult(trainer, trainer.shardParams(), losses, reports, times,
              collectives.stats());
        }
      }, command -> new Thread(command, "rank-" + rendezvous.rank()).start()));
    }
    List<RankResult> results = new ArrayList<>();
    for (CompletableFuture<RankResult> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  /** The full parameter vector from the ranks' shards (which tile it in rank order). */
  static float[] assemble(List<RankResult> results) {
    int total = results.stream().mapToInt(r -> r.shardParams().length).sum();
    float[] out = new float[total];
    int at = 0;
    for (RankResult r : results) {
      System.arraycopy(r.shardParams(), 0, out, at, r.shardParams().length);
      at += r.shardParams().length;
    }
    return out;
  }

  /** Fashion-MNIST-shaped examples whose label shows in the pixels, so training makes progress. */
  static LocalDataset dataset(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<LabeledExample> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[784];
      int label = random.nextInt(10);
      for (int j = 0; j < x.length; j++) {
        double mean = j % 10 == label ? 0.7 : 0.2;
        x[j] = (float) Math.min(1, Math.max(0, mean + 0.2 * random.nextGaussian()));
      }
      examples.add(new LabeledExample(i, label, x));
    }
    return LocalDataset.collect(examples.iterator(), 784, 10);
  }

  /** ||a - b|| / ||b||. */
  static double relativeL2(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / norm);
  }

  @Override
  public void close() {
    runtime.close();
  }
}
