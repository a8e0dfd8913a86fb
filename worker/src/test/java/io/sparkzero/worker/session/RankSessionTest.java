package io.sparkzero.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.sharding.collective.AeronCollectives;
import io.sparkzero.sharding.collective.AeronRuntime;
import io.sparkzero.sharding.collective.CollectiveOptions;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.LocalRendezvous;
import io.sparkzero.sharding.collective.Rendezvous;
import io.sparkzero.sharding.collective.RuntimeOptions;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.train.LossScale;
import io.sparkzero.worker.train.StepMetrics;
import io.sparkzero.worker.train.ZeroOptions;
import io.sparkzero.worker.train.ZeroTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rank's epoch without Spark: two ranks as threads of this JVM, over a real Aeron media driver
 * (IPC) and real checkpoint files, each running {@link RankSession} as the driver's barrier task
 * would.
 */
class RankSessionTest {
  private static final int RANKS = 2;
  private static final int BATCH = 16; // per rank per step
  private static final int STEPS = 6;
  private static final List<List<LabeledExample>> PARTITIONS = partitions(RANKS * BATCH * STEPS);

  private static Path aeronDir;
  private static AeronRuntime runtime;

  @TempDir
  Path dir;

  @BeforeAll
  static void startAeron() {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    aeronDir = parent.resolve("spark-zero-session-" + UUID.randomUUID());
    runtime = AeronRuntime.acquire(RuntimeOptions.of(aeronDir));
  }

  @AfterAll
  static void stopAeron() {
    runtime.close();
  }

  private static RankJob job(String jobId, ZeroStage stage, CheckpointSettings checkpoint) {
    OptimizerOptions adam = new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
    return new RankJob(jobId, new SplittableRandom().nextLong(), "mlp", 42, Objective.classify(), adam,
        ZeroOptions.ofStage(stage), OffloadOptions.none(), BATCH, 1,
        LearningRateSchedule.constant(adam.learningRate()),
        LossScale.Options.fullPrecision(ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS), false, STEPS, 784,
        10, 1, new TreeMap<>(), checkpoint, io.sparkzero.worker.adv.AdvOptions.NONE);
  }

  /** Runs one attempt on every rank, as the barrier stage does; outcomes by rank. */
  private static List<RankSession.Outcome> attempt(RankJob job, EpochAttempt attempt)
      throws Exception {
    return attempt(job, attempt, new ConcurrentHashMap<>());
  }

  /** As {@link #attempt(RankJob, EpochAttempt)}, collecting each rank's step metrics. */
  private static List<RankSession.Outcome> attempt(RankJob job, EpochAttempt attempt,
      Map<Integer, List<StepMetrics>> steps) throws Exception {
    List<Rendezvous> group = LocalRendezvous.group(RANKS, 60_000);
    List<CompletableFuture<RankSession.Outcome>> futures = new ArrayList<>();
    for (Rendezvous rendezvous : group) {
      int rank = rendezvous.rank();
      futures.add(CompletableFuture.supplyAsync(() -> {
        CollectiveOptions options = CollectiveOptions.builder(job.jobToken()).aeronDir(aeronDir)
            .termBytes(4 << 20).timeoutMs(60_000).build();
        try (RankSession session = RankSession.open(job, attempt, rank, RANKS);
            Collectives collectives = AeronCollectives.create(rendezvous, options, runtime)) {
          List<StepMetrics> seen = steps.computeIfAbsent(rank, r -> new ArrayList<>());
          return session.run(collectives, () -> PARTITIONS.get(rank).iterator(), seen::add);
        }
      }, command -> new Thread(command, "rank-" + rank).start()));
    }
    List<RankSession.Outcome> outcomes = new ArrayList<>();
    for (CompletableFuture<RankSession.Outcome> f : futures) {
      outcomes.add(f.get());
    }
    return outcomes;
  }

  @Test
  void aSecondEpochStartsFromTheStateEachRankKeptAndTheLastEpochReleasesIt() throws Exception {
    RankJob job = job("session-kept-" + UUID.randomUUID(), ZeroStage.OPTIMIZER_STATE,
        CheckpointSettings.none());
    Map<Integer, List<StepMetrics>> steps = new ConcurrentHashMap<>();
    List<RankSession.Outcome> first = attempt(job, EpochAttempt.of(0, false, false), steps);
    assertThat(first).allSatisfy(o -> {
      assertThat(o.result().steps()).isEqualTo(STEPS);
      assertThat(o.shardParams()).isNull(); // not asked for
    });
    assertThat(first.get(1).result().paramHash()).isEqualTo(first.get(0).result().paramHash());
    assertEachStepObserved(steps, first);
    for (int rank = 0; rank < RANKS; rank++) { // each rank's state waits for the next epoch
      RankState kept = ExecutorRuntime.take(job.jobId(), rank);
      assertThat(kept.epochsDone()).isEqualTo(1);
      ExecutorRuntime.put(job.jobId(), rank, kept);
    }

    List<RankSession.Outcome> second = attempt(job, EpochAttempt.of(1, true, true));
    assertThat(second).allSatisfy(o -> {
      assertThat(o.stateReceivedFromRank()).isEqualTo(-1); // every rank had its state
      assertThat(o.result().epoch()).isEqualTo(1);
      assertThat(o.shardParams()).isNotNull();
    });
    assertThat(second.get(0).result().paramHash()).isNotEqualTo(first.get(0).result().paramHash());
    for (int rank = 0; rank < RANKS; rank++) {
      assertThat(ExecutorRuntime.take(job.jobId(), rank)).isNull();
    }
  }

  @Test
  void anAttemptResumedMidEpochFromACheckpointEndsWithTheUninterruptedEpochsParameters()
      throws Exception {
    Path whole = dir.resolve("whole");
    List<RankSession.Outcome> uninterrupted = attempt(job("session-whole-" + UUID.randomUUID(),
        ZeroStage.PARAMETERS, every2Steps(whole)), EpochAttempt.of(0, true, true));
    assertThat(whole.resolve("step-000000000004")).isDirectory();
    assertThat(whole.resolve("step-000000000006")).isDirectory();

    // The store as a run that failed after committing step 4 of 6 leaves it.
    Path failed = dir.resolve("failed");
    Files.createDirectories(failed);
    for (String step : List.of("step-000000000002", "step-000000000004")) {
      copyTree(whole.resolve(step), failed.resolve(step));
    }
    // Another job (nothing kept on this executor) restores that commit and trains steps 4 and 5.
    List<RankSession.Outcome> resumed = attempt(job("session-resumed-" + UUID.randomUUID(),
        ZeroStage.PARAMETERS, every2Steps(failed)), EpochAttempt.of(0, true, true).resuming(4, 4));
    assertThat(failed.resolve("step-000000000006")).isDirectory();
    for (int rank = 0; rank < RANKS; rank++) {
      assertThat(resumed.get(rank).result().steps()).isEqualTo(STEPS - 4);
      assertThat(resumed.get(rank).shardParams())
          .containsExactly(uninterrupted.get(rank).shardParams());
    }
  }

  /**
   * Every rank's observer saw each step once, in order, with the figures its epoch report sums:
   * the ranks agree on each step's (averaged) loss, and the losses average to the epoch's.
   */
  private static void assertEachStepObserved(Map<Integer, List<StepMetrics>> steps,
      List<RankSession.Outcome> outcomes) {
    for (int rank = 0; rank < RANKS; rank++) {
      List<StepMetrics> seen = steps.get(rank);
      assertThat(seen).extracting(StepMetrics::step).containsExactly(0, 1, 2, 3, 4, 5);
      assertThat(seen).extracting(StepMetrics::globalStep).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
      assertThat(seen).allSatisfy(m -> {
        assertThat(m.stepsInEpoch()).isEqualTo(STEPS);
        assertThat(m.samples()).isEqualTo((long) BATCH * RANKS);
        assertThat(m.learningRate()).isEqualTo(1e-3, within(1e-12));
        assertThat(m.skipped()).isFalse();
        assertThat(m.stepNanos()).isPositive();
        assertThat(m.times().totalNanos()).isPositive().isLessThanOrEqualTo(m.stepNanos());
        assertThat(m.heapUsedBytes()).isPositive();
      });
      double mean = seen.stream().mapToDouble(StepMetrics::loss).average().orElseThrow();
      assertThat(mean).isCloseTo(outcomes.get(rank).result().meanLoss(), within(1e-9));
    }
    assertThat(steps.get(1)).extracting(StepMetrics::loss)
        .containsExactlyElementsOf(steps.get(0).stream().map(StepMetrics::loss).toList());
  }

  private static CheckpointSettings every2Steps(Path store) {
    return new CheckpointSettings(store.toUri().toString(), 2, 10, new TreeMap<>());
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : (Iterable<Path>) paths::iterator) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  /** Examples whose label shows in the pixels, cut into one partition per rank. */
  private static List<List<LabeledExample>> partitions(int n) {
    SplittableRandom random = new SplittableRandom(5);
    List<List<LabeledExample>> parts = new ArrayList<>();
    for (int r = 0; r < RANKS; r++) {
      parts.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      float[] x = new float[784];
      int label = random.nextInt(10);
      for (int j = 0; j < x.length; j++) {
        x[j] = (float) Math.min(1, Math.max(0, (j % 10 == label ? 0.7 : 0.2)
            + 0.2 * random.nextGaussian()));
      }
      parts.get(i % RANKS).add(new LabeledExample(i, label, x));
    }
    return parts;
  }
}
