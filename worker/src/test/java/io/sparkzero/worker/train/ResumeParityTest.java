package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.worker.checkpoint.RankCheckpointer;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checkpoints are exact: 20 steps straight end with the same parameters, bit for bit, as 8 steps,
 * a checkpoint committed to disk (real shard files and manifest, written by each rank's
 * {@link RankCheckpointer}), new trainers from a differently initialized model restored from it,
 * 12 steps, at every ZeRO stage and offload tier (2 ranks over real Aeron IPC). Restored into
 * another number of ranks, the run continues within float rounding of the run that kept its ranks
 * (its layers run on other batch shapes and its reductions add in another order; the bound is
 * stated in the test).
 */
class ResumeParityTest {
  private static final int STEPS = 20;
  private static final int SAVE_AT = 8;
  private static final int GLOBAL_BATCH = 24;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 11);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  @TempDir static Path nvme;
  @TempDir Path checkpoints;

  static Stream<Arguments> settings() {
    return Stream.of(Arguments.of(0, "none", "none"), Arguments.of(1, "none", "none"),
        Arguments.of(2, "none", "none"), Arguments.of(3, "none", "none"),
        Arguments.of(1, "host", "none"), Arguments.of(2, "nvme", "none"),
        Arguments.of(3, "nvme", "nvme"), Arguments.of(3, "host", "host"));
  }

  @ParameterizedTest(name = "stage {0}, offload.optimizer {1}, offload.params {2}")
  @MethodSource("settings")
  void resumedRunEndsWithTheParametersOfTheStraightRun(int stage, String optimizerTier,
      String paramsTier) throws Exception {
    OffloadOptions offload =
        new OffloadOptions(Tier.of(optimizerTier), Tier.of(paramsTier), nvme.toString(), 3, 64 << 10);
    RankGroup.Run run = new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage), offload, ADAM);
    RankGroup group = AERON.group();
    float[] straight =
        finish(group.train(run, DATA, GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE));

    CheckpointStore store = store();
    finish(group.train(run, DATA, GLOBAL_BATCH, 0, SAVE_AT, saving(store)));
    assertThat(store.latestCommitted()).contains((long) SAVE_AT);
    RankGroup.Run fresh = new RankGroup.Run("mlp", 7, 2, run.zero(), offload, ADAM);
    float[] resumed =
        finish(group.train(fresh, DATA, GLOBAL_BATCH, SAVE_AT, STEPS, restoring(store)));

    assertThat(resumed).as("resumed = straight, bit for bit").containsExactly(straight);
  }

  /**
   * Mixed precision: the checkpoint holds the fp32 master parameters and the loss scale, so a
   * 16-bit run resumed from it (into a model initialized differently) ends bit for bit with the
   * straight run, its dynamic loss scale included.
   */
  @ParameterizedTest(name = "stage {0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2, 3})
  void halfPrecisionRunResumesExactly(int stage) throws Exception {
    LossScale.Options scale = new LossScale.Options(true, 1024f, 3, 5);
    RankGroup.Run run = new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage),
        OffloadOptions.none(), ADAM, LearningRateSchedule.constant(1e-3), 1, scale, true);
    RankGroup group = AERON.group();
    List<RankGroup.RankResult> straightRun =
        group.train(run, DATA, GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE);
    float[] straight = finish(straightRun);

    CheckpointStore store = store();
    finish(group.train(run, DATA, GLOBAL_BATCH, 0, SAVE_AT, saving(store)));
    RankGroup.Run fresh = new RankGroup.Run("mlp", 7, 2, run.zero(), OffloadOptions.none(), ADAM,
        run.schedule(), 1, scale, true);
    List<RankGroup.RankResult> resumedRun =
        group.train(fresh, DATA, GLOBAL_BATCH, SAVE_AT, STEPS, restoring(store));

    assertThat(finish(resumedRun)).as("resumed = straight, bit for bit").containsExactly(straight);
    assertThat(resumedRun.get(0).trainer().lossScale().scale())
        .isEqualTo(straightRun.get(0).trainer().lossScale().scale());
  }

  static Stream<Arguments> reshards() {
    return Stream.of(0, 1, 2, 3).flatMap(stage -> Stream.of(Arguments.of(stage, 3),
        Arguments.of(stage, 1), Arguments.of(stage, 4)));
  }

  @ParameterizedTest(name = "stage {0}: 2 ranks -> {1}")
  @MethodSource("reshards")
  void stateSavedByTwoRanksContinuesOnAnotherNumber(int stage, int ranks) throws Exception {
    OffloadOptions none = OffloadOptions.none();
    RankGroup.Run two = new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage), none, ADAM);
    int end = SAVE_AT + 10;
    RankGroup group = AERON.group();
    float[] kept = finish(group.train(two, DATA, GLOBAL_BATCH, 0, end, RankGroup.Hooks.NONE));

    CheckpointStore store = store();
    finish(group.train(two, DATA, GLOBAL_BATCH, 0, SAVE_AT, saving(store)));
    RankGroup.Run other = new RankGroup.Run("mlp", 7, ranks, two.zero(), none, ADAM);
    float[] resharded =
        finish(group.train(other, DATA, GLOBAL_BATCH, SAVE_AT, end, restoring(store)));

    // Another number of ranks runs the layers on other batch shapes: within float rounding, u =
    // 2^-24 per operation in dot products of at most K = 784 terms, compounded over the 10 steps.
    double bound = 10 * 784 * Math.ulp(1.0f) / 2;
    assertThat(RankGroup.relativeL2(resharded, kept)).as("relative L2 after 10 steps")
        .isLessThanOrEqualTo(bound);
  }

  /**
   * A checkpoint of another optimizer (checkpoint.allow-optimizer-change) gives its parameters
   * only: Adam's state saved at step 8 restores into LAMB trainers as the parameters, with every
   * state slot left at zero and the step count at 0.
   */
  @org.junit.jupiter.api.Test
  void paramsOnlyRestoresTheParametersAndLeavesTheOptimizerFresh() throws Exception {
    RankGroup.Run adam = new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(1), OffloadOptions.none(), ADAM);
    CheckpointStore store = store();
    RankGroup group = AERON.group();
    float[] saved = finish(group.train(adam, DATA, GLOBAL_BATCH, 0, SAVE_AT, saving(store)));
    RankGroup.Run lamb = new RankGroup.Run("mlp", 7, 2, adam.zero(), adam.offload(),
        new OptimizerOptions("lamb", 1e-3, 0.9, 0.9, 0.999, 1e-6));
    Map<Integer, double[]> stateAfterRestore = new java.util.concurrent.ConcurrentHashMap<>();
    RankGroup.Hooks paramsOnly = new RankGroup.Hooks() {
      @Override
      public void beforeSteps(ZeroTrainer trainer, Collectives collectives) {
        try (Checkpoint checkpoint = store.open(store.latestCommitted().orElseThrow())) {
          TrainerState.restore(trainer, checkpoint::read, checkpoint.meta(0), true);
        }
        var state = trainer.optimizerState();
        float[] slot = new float[state.length()];
        double largest = 0;
        for (int k = 0; k < state.slots(); k++) {
          state.read(k, 0, slot, 0, slot.length);
          for (float v : slot) {
            largest = Math.max(largest, Math.abs(v));
          }
        }
        stateAfterRestore.put(collectives.rank(), new double[] {state.slots(), largest,
            trainer.optimizer().stepCount()});
      }
    };
    float[] restored = finish(group.train(lamb, DATA, GLOBAL_BATCH, SAVE_AT, SAVE_AT, paramsOnly));
    assertThat(restored).as("the saved parameters").containsExactly(saved);
    assertThat(stateAfterRestore).hasSize(2).allSatisfy((rank, s) -> {
      assertThat(s[0]).as("rank %d's state slots", rank).isEqualTo(2);
      assertThat(s[1]).as("rank %d's largest state value", rank).isZero();
      assertThat(s[2]).as("rank %d's optimizer step count", rank).isZero();
    });
  }

  private CheckpointStore store() {
    return CheckpointStore.open(checkpoints.toUri().toString(), new Configuration());
  }

  /** Each rank saves global step {@link #SAVE_AT} after its steps and commits it. */
  private static RankGroup.Hooks saving(CheckpointStore store) {
    return new RankGroup.Hooks() {
      @Override
      public void afterSteps(ZeroTrainer trainer, Collectives collectives) {
        try (RankCheckpointer checkpointer =
            new RankCheckpointer(store, collectives.rank(), 2, "test")) {
          checkpointer.save(trainer, SAVE_AT, Map.of("epoch", "0"), collectives);
          checkpointer.commitPending(collectives);
        }
      }
    };
  }

  /** Each rank restores what it holds from the newest committed step, written by any ranks. */
  private static RankGroup.Hooks restoring(CheckpointStore store) {
    return new RankGroup.Hooks() {
      @Override
      public void beforeSteps(ZeroTrainer trainer, Collectives collectives) {
        try (Checkpoint checkpoint = store.open(store.latestCommitted().orElseThrow())) {
          TrainerState.restore(trainer, checkpoint::read, checkpoint.meta(0));
        }
      }
    };
  }

  /** The assembled parameters; closes the trainers (their offload files go). */
  private static float[] finish(List<RankGroup.RankResult> results) {
    float[] params = RankGroup.assemble(results);
    results.forEach(r -> r.trainer().close());
    return params;
  }
}
