package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.collective.AeronCollectives;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.LocalRendezvous;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.sharding.collective.RuntimeOptions;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data-parallel parity: 2 ranks with batch 64 each, gradients averaged over Aeron, end 20 steps
 * with the parameters of 1 rank with batch 128 on the same data order. Tolerance: relative
 * L2 difference 1e-5 (the two differ only in the float summation order of the batch mean).
 */
class DataParallelParityTest {
  private static final int STEPS = 20;
  private static final int GLOBAL_BATCH = 128;
  private static Path aeronDir;
  private static AeronRuntime runtime;

  @BeforeAll
  static void startAeron() {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    aeronDir = parent.resolve("spark-zero-parity-" + UUID.randomUUID());
    runtime = AeronRuntime.acquire(RuntimeOptions.of(aeronDir));
  }

  @AfterAll
  static void stopAeron() {
    runtime.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"adam", "sgd"})
  void twoRanksOfBatch64MatchOneRankOfBatch128(String optimizer) throws Exception {
    OptimizerOptions options = new OptimizerOptions(optimizer, optimizer.equals("sgd") ? 0.05 : 1e-3,
        0.9, 0.9, 0.999, 1e-8);
    LocalDataset data = dataset(STEPS * GLOBAL_BATCH, 5);

    float[] single = train(1, data, options).get(0);
    List<float[]> pair = train(2, data, options);

    assertThat(pair.get(0)).as("both ranks hold identical parameters").containsExactly(pair.get(1));
    float[] initial = ModelZoo.build("mlp", 42).params().toFloatVector();
    assertThat(relativeL2(single, initial)).as("training moved the parameters").isGreaterThan(1e-3);
    assertThat(relativeL2(pair.get(0), single)).isLessThanOrEqualTo(1e-5);
  }

  /** Trains STEPS steps on {@code ranks} threads; rank r takes its slice of each global batch. */
  private static List<float[]> train(int ranks, LocalDataset data, OptimizerOptions options)
      throws Exception {
    List<Rendezvous> group = LocalRendezvous.group(ranks, 30_000);
    long token = new SplittableRandom().nextLong();
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (Rendezvous rendezvous : group) {
      futures.add(CompletableFuture.supplyAsync(() -> {
        CollectiveOptions collectiveOptions = CollectiveOptions.builder(token).aeronDir(aeronDir)
            .termBytes(4 << 20).timeoutMs(30_000).build();
        try (Collectives collectives = AeronCollectives.create(rendezvous, collectiveOptions, runtime)) {
          DataParallelTrainer trainer = new DataParallelTrainer(ModelZoo.build("mlp", 42), options);
          int local = GLOBAL_BATCH / ranks;
          for (int step = 0; step < STEPS; step++) {
            int[] idx = new int[local];
            for (int i = 0; i < local; i++) {
              idx[i] = step * GLOBAL_BATCH + rendezvous.rank() * local + i;
            }
            trainer.step(data.batch(idx), collectives);
          }
          return trainer.params().clone();
        }
      }));
    }
    List<float[]> results = new ArrayList<>();
    for (CompletableFuture<float[]> f : futures) {
      results.add(f.get());
    }
    return results;
  }

  private static LocalDataset dataset(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<LabeledExample> examples = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] x = new float[784];
      int label = random.nextInt(10);
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) Math.min(1, Math.max(0, (j % 10 == label ? 0.7 : 0.2) + 0.2 * random.nextGaussian()));
      }
      examples.add(new LabeledExample(i, label, x));
    }
    return LocalDataset.collect(examples.iterator(), 784, 10);
  }

  private static double relativeL2(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
      norm += (double) b[i] * b[i];
    }
    return Math.sqrt(diff / norm);
  }
}
