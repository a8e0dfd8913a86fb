package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.TensorTable;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A NaN in one rank's gradients (made by a NaN pixel in that rank's micro-batch) makes every
 * rank skip the step: parameters, optimizer state and step count stay exactly as they were, and
 * the next clean step trains on. Too many skips in a row stop every rank with an error that names
 * the step and the count. Three ranks over real Aeron IPC, LAMB (two sweeps, per-tensor norms).
 */
class NonFiniteSkipTest {
  private static final int GLOBAL_BATCH = 12;
  private static final LocalDataset DATA = RankGroup.dataset(10 * GLOBAL_BATCH, 3);
  private static final int POISONED_STEP = 2;
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  static RankGroup.Run run(int stage, int maxSkips) {
    OptimizerOptions lamb = new OptimizerOptions("lamb", 0.01, 0.9, 0.9, 0.999, 1e-6, 0.01,
        0.001, TensorTable.DEFAULT_EXCLUDE, 0);
    return new RankGroup.Run("mlp", 42, 3, ZeroOptions.ofStage(stage), OffloadOptions.none(),
        lamb, LearningRateSchedule.constant(0.01), 2, LossScale.Options.fullPrecision(maxSkips),
        false);
  }

  /** Rank 1's second micro-batch of the poisoned steps carries a NaN pixel. */
  static RankGroup.Hooks poison(int fromStep, int toStep, Snapshots snapshots) {
    return new RankGroup.Hooks() {
      @Override
      public LocalDataset.Batch batch(int rank, int step, int micro, LocalDataset.Batch batch) {
        if (rank == 1 && micro == 1 && step >= fromStep && step < toStep) {
          batch.features().putScalar(new long[] {0, 17}, Float.NaN);
        }
        return batch;
      }

      @Override
      public void afterSteps(ZeroTrainer trainer, Collectives collectives) {
        if (snapshots != null) {
          snapshots.take(trainer);
        }
      }
    };
  }

  static Stream<Integer> stages() {
    return Stream.of(0, 1, 2, 3);
  }

  @ParameterizedTest(name = "stage {0}")
  @MethodSource("stages")
  void nanOnOneRankMakesEveryRankSkipTheStepAndChangeNothing(int stage) throws Exception {
    // Steps [0, 2) clean, then the poisoned step alone: the state after it must equal the state
    // after the clean steps.
    Snapshots before = new Snapshots();
    AERON.group().train(run(stage, 5), DATA, GLOBAL_BATCH, 0, POISONED_STEP,
        poison(-1, -1, before));
    Snapshots after = new Snapshots();
    List<RankGroup.RankResult> results = AERON.group().train(run(stage, 5), DATA, GLOBAL_BATCH, 0,
        POISONED_STEP + 2, poison(POISONED_STEP, POISONED_STEP + 1, after));

    for (RankGroup.RankResult r : results) {
      int rank = r.trainer().rank();
      assertThat(r.reports().get(POISONED_STEP).applied()).as("rank %d skipped", rank).isFalse();
      assertThat(r.reports().get(POISONED_STEP + 1).applied()).as("rank %d trains on", rank)
          .isTrue();
      assertThat(r.trainer().lossScale().skippedTotal()).isEqualTo(1);
      assertThat(r.trainer().optimizer().stepCount()).as("the skipped step is not counted")
          .isEqualTo(POISONED_STEP + 1);
      float[] held = new float[r.trainer().heldParams().length()];
      r.trainer().readParams(r.trainer().heldParams().from(), held, 0, held.length);
      for (float v : held) {
        assertThat(Float.isFinite(v)).as("rank %d's parameters are finite", rank).isTrue();
      }
    }
    // The poisoned run's state after the skipped step equals the clean run's before it: replay
    // the two runs up to and including the skipped step only.
    Snapshots skipped = new Snapshots();
    AERON.group().train(run(stage, 5), DATA, GLOBAL_BATCH, 0, POISONED_STEP + 1,
        poison(POISONED_STEP, POISONED_STEP + 1, skipped));
    for (int rank = 0; rank < 3; rank++) {
      assertThat(skipped.params[rank]).as("rank %d parameters", rank)
          .containsExactly(before.params[rank]);
      assertThat(skipped.state[rank]).as("rank %d optimizer state", rank)
          .isDeepEqualTo(before.state[rank]);
      assertThat(skipped.steps[rank]).isEqualTo(before.steps[rank]);
    }
  }

  @Test
  void tooManySkipsInARowStopEveryRankNamingTheStep() {
    assertThatThrownBy(() -> AERON.group().train(run(2, 2), DATA, GLOBAL_BATCH, 0, 6,
        poison(1, 6, null)))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(LossScale.NonFiniteGradientException.class)
        .hasMessageContaining("global step 3")
        .hasMessageContaining("3 steps in a row")
        .hasMessageContaining("allowed: 2");
  }

  /** Each rank's held parameters, optimizer state and step count after its steps. */
  static final class Snapshots {
    final float[][] params = new float[3][];
    final float[][][] state = new float[3][][];
    final long[] steps = new long[3];

    synchronized void take(ZeroTrainer trainer) {
      int rank = trainer.rank();
      float[] held = new float[trainer.heldParams().length()];
      trainer.readParams(trainer.heldParams().from(), held, 0, held.length);
      params[rank] = held;
      OptimizerState s = trainer.optimizerState();
      float[][] slots = new float[s.slots()][s.length()];
      for (int k = 0; k < s.slots(); k++) {
        s.read(k, 0, slots[k], 0, s.length());
      }
      state[rank] = slots;
      steps[rank] = trainer.optimizer().stepCount();
    }
  }

  static {
    Nd4j.getRandom(); // load ND4J before the ranks' threads race to
  }
}
