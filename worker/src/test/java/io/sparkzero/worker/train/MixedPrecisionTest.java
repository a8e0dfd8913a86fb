package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.StepReport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mixed precision at ZeRO stages 0 and 1: DL4J computes in 16-bit floats, the optimizer updates
 * fp32 master parameters, two ranks over real Aeron IPC. Against the same run in fp32 the
 * parameters agree to relative L2 3e-2 after 10 SGD-with-momentum steps (measured: 1.3e-2; 16-bit
 * activations and gradients with an 11-bit mantissa, the initial parameters rounded to 16 bits,
 * and ND4J's CPU matrix products over HALF summing 784 products in 16 bits; SGD passes gradient
 * errors through linearly, where Adam's normalization would blow up the rounding of near-zero
 * gradients). A loss scale far too large overflows the 16-bit gradients: those
 * steps are skipped on every rank, the scale halves until the gradients fit, then training goes
 * on with finite parameters.
 */
class MixedPrecisionTest {
  private static final int STEPS = 10;
  private static final int GLOBAL_BATCH = 32;
  private static final LocalDataset DATA = RankGroup.dataset((STEPS + 20) * GLOBAL_BATCH, 21);
  private static final OptimizerOptions SGD =
      new OptimizerOptions("sgd", 0.1, 0.9, 0.9, 0.999, 1e-8);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  static RankGroup.Run run(int stage, boolean half, LossScale.Options scale) {
    return new RankGroup.Run("mlp", 42, 2, ZeroOptions.ofStage(stage), OffloadOptions.none(), SGD,
        LearningRateSchedule.constant(SGD.learningRate()), 1, scale, half);
  }

  @ParameterizedTest(name = "stage {0}")
  @ValueSource(ints = {0, 1})
  void sixteenBitComputeWithFp32MasterFollowsTheFp32Run(int stage) throws Exception {
    LossScale.Options dynamic = new LossScale.Options(true, 1024f, 4, 5);
    List<RankGroup.RankResult> half = AERON.group().train(run(stage, true, dynamic), DATA,
        GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE);
    List<RankGroup.RankResult> full = AERON.group().train(
        run(stage, false, LossScale.Options.fullPrecision(5)), DATA, GLOBAL_BATCH, 0, STEPS,
        RankGroup.Hooks.NONE);

    assertThat(RankGroup.relativeL2(RankGroup.assemble(half), RankGroup.assemble(full)))
        .isLessThanOrEqualTo(3e-2);
    for (RankGroup.RankResult r : half) {
      assertThat(r.reports()).allMatch(StepReport::applied);
      assertThat(r.losses().get(STEPS - 1)).isLessThan(r.losses().get(0));
      assertThat(r.trainer().lossScale().scale()).as("doubled after every 4 clean steps")
          .isEqualTo(4096f);
    }
    long hash = half.get(0).trainer().paramHash();
    assertThat(half.get(1).trainer().paramHash()).as("equal 16-bit replicas").isEqualTo(hash);
    // The master holds values a 16-bit number cannot: it is fp32, not the widened 16-bit copy.
    float[] master = half.get(0).shardParams();
    long notHalf = 0;
    for (float v : master) {
      notHalf += Float.floatToRawIntBits(v) & 0x1fff; // mantissa bits below fp16's 10
    }
    assertThat(notHalf).isPositive();
  }

  @Test
  void anOverflowingScaleSkipsStepsAndHalvesUntilGradientsFit() throws Exception {
    LossScale.Options huge = new LossScale.Options(true, (float) Math.pow(2, 40), 1000, 40);
    List<RankGroup.RankResult> results = AERON.group().train(run(1, true, huge), DATA,
        GLOBAL_BATCH, 0, STEPS + 20, RankGroup.Hooks.NONE);
    for (RankGroup.RankResult r : results) {
      long skipped = r.reports().stream().filter(s -> !s.applied()).count();
      assertThat(skipped).as("16-bit overflow at 2^40").isGreaterThan(10);
      assertThat(r.reports().get(r.reports().size() - 1).applied()).isTrue();
      assertThat(r.trainer().lossScale().scale()).isLessThan((float) Math.pow(2, 40) / 1024);
      for (float v : r.shardParams()) {
        assertThat(Float.isFinite(v)).isTrue();
      }
    }
    assertThat(results.get(0).reports()).extracting(StepReport::applied)
        .containsExactlyElementsOf(results.get(1).reports().stream().map(StepReport::applied)
            .toList());
  }

  @Test
  void stagesTwoAndThreeRefuseSixteenBitCompute() {
    assertThatThrownBy(() -> ZeroTrainer.create(ModelZoo.build("mlp", 1).toHalfPrecision(), SGD,
        ZeroOptions.ofStage(2), 0, 2))
        .hasMessageContaining("train.precision fp16").hasMessageContaining("zero.stage 2");
  }
}
