package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Data-parallel parity: 2 ranks with batch 64 each, gradients averaged over Aeron, end 20 steps
 * with the parameters of 1 rank that accumulates the same two batches of 64, bit for bit (the same
 * layers on the same shapes, and a sum of two gradients is the same float in either order), and
 * within float rounding of 1 rank with batch 128, whose layers sum over other shapes. Bound for
 * the latter: relative rounding {@code u = 2^-24} per operation in dot products of at most {@code
 * K = 784} terms, {@code K u} per step, compounded over {@code S = 20} steps: {@code S K u =
 * 9.3e-4}.
 */
class DataParallelParityTest {
  private static final int STEPS = 20;
  private static final int GLOBAL_BATCH = 128;
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  @ParameterizedTest
  @ValueSource(strings = {"adam", "sgd"})
  void twoRanksOfBatch64MatchOneRankAccumulatingThemAndOneOfBatch128(String optimizer) throws Exception {
    OptimizerOptions options = new OptimizerOptions(optimizer, optimizer.equals("sgd") ? 0.05 : 1e-3,
        0.9, 0.9, 0.999, 1e-8);
    LocalDataset data = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
    ZeroOptions zero = ZeroOptions.ofStage(0);

    RankGroup group = AERON.group();
    float[] single =
        RankGroup.assemble(group.train("mlp", 1, zero, options, data, GLOBAL_BATCH, STEPS));
    float[] accumulated = RankGroup.assemble(group.train(
        new RankGroup.Run("mlp", 42, 1, zero, OffloadOptions.none(), options,
            LearningRateSchedule.constant(options.learningRate()), 2,
            LossScale.Options.fullPrecision(ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS), false),
        data, GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE));
    List<RankGroup.RankResult> pair =
        group.train("mlp", 2, zero, options, data, GLOBAL_BATCH, STEPS);

    float[] rank0 = pair.get(0).trainer().model().params().toFloatVector();
    float[] rank1 = pair.get(1).trainer().model().params().toFloatVector();
    assertThat(rank0).as("both ranks hold identical parameters").containsExactly(rank1);
    float[] initial = ModelZoo.build("mlp", 42).params().toFloatVector();
    assertThat(RankGroup.relativeL2(single, initial)).as("training moved the parameters")
        .isGreaterThan(1e-3);
    assertThat(rank0).as("against one rank accumulating the two batches").containsExactly(accumulated);
    double bound = STEPS * 784 * Math.ulp(1.0f) / 2;
    assertThat(RankGroup.relativeL2(rank0, single)).isLessThanOrEqualTo(bound);
  }
}
