package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.plan.MemoryPlanInput;
import io.sparkzero.sharding.plan.MemoryPlanner;
import io.sparkzero.sharding.plan.Precision;
import io.sparkzero.sharding.plan.StageMemory;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.StepReport;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Mixed precision at every ZeRO stage: DL4J computes in 16-bit floats, the optimizer updates
 * fp32 master parameters, ranks over real Aeron IPC. Against the same run in fp32 the
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
    return run(stage, 2, half, scale);
  }

  static RankGroup.Run run(int stage, int ranks, boolean half, LossScale.Options scale) {
    return new RankGroup.Run("mlp", 42, ranks, ZeroOptions.ofStage(stage), OffloadOptions.none(),
        SGD, LearningRateSchedule.constant(SGD.learningRate()), 1, scale, half);
  }

  @ParameterizedTest(name = "stage {0}")
  @ValueSource(ints = {0, 1, 2, 3})
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
    if (stage < 3) {
      long hash = half.get(0).trainer().paramHash();
      assertThat(half.get(1).trainer().paramHash()).as("equal 16-bit replicas").isEqualTo(hash);
    }
    // The master holds values a 16-bit number cannot: it is fp32, not the widened 16-bit copy.
    float[] master = half.get(0).shardParams();
    long notHalf = 0;
    for (float v : master) {
      notHalf += Float.floatToRawIntBits(v) & 0x1fff; // mantissa bits below fp16's 10
    }
    assertThat(notHalf).isPositive();
  }

  /**
   * Stages 2 and 3 in 16 bits (16-bit layer buffers that the collectives move as they are, an
   * fp32 gradient shard, the master gathered a layer at a time) end with the parameters of stage 1
   * in 16 bits, 3 ranks, bit for bit (the same 16-bit compute on the same shapes, and the fp32 sums
   * in the same order); each rank holds the bytes the planner predicts for 16-bit compute.
   */
  @ParameterizedTest(name = "stage {0}")
  @ValueSource(ints = {2, 3})
  void stagesTwoAndThreeIn16BitsMatchStageOne(int stage) throws Exception {
    LossScale.Options dynamic = new LossScale.Options(true, 1024f, 4, 5);
    List<RankGroup.RankResult> sharded = AERON.group().train(run(stage, 3, true, dynamic), DATA,
        GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE);
    List<RankGroup.RankResult> stage1 = AERON.group().train(run(1, 3, true, dynamic), DATA,
        GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE);
    assertThat(RankGroup.assemble(sharded)).as("stage %d against stage 1, bit for bit", stage)
        .containsExactly(RankGroup.assemble(stage1));
    for (RankGroup.RankResult r : sharded) {
      assertThat(r.reports()).allMatch(StepReport::applied);
      assertThat(r.losses().get(STEPS - 1)).isLessThan(r.losses().get(0));
      ZeroTrainer trainer = r.trainer();
      long shard = trainer.shard().length();
      long psi = trainer.plan().numParams();
      ModelStateBytes held = trainer.stateBytes();
      StageMemory planned = MemoryPlanner.plan(MemoryPlanInput.of(trainer.plan(), Precision.FP16,
          1, ZeroOptions.ofStage(stage).prefetchLayers()), ZeroStage.of(stage));
      assertThat(held.paramBytes()).as("16-bit replica at stage 2, fp32 master shard at 3")
          .isEqualTo(stage == 2 ? 2 * psi : 4 * shard);
      assertThat(held.gradBytes()).as("fp32 gradient shard").isEqualTo(4 * shard);
      assertThat(held.optimizerBytes()).as("momentum, and stage 2's fp32 master")
          .isEqualTo((stage == 2 ? 8 : 4) * shard);
      assertThat(held.bufferBytes()).as("16-bit layer buffers, no fp32 twins, as planned")
          .isEqualTo(planned.bufferBytes());
      StageMemory fp32 = MemoryPlanner.plan(MemoryPlanInput.of(trainer.plan(), Precision.FP32,
          1, ZeroOptions.ofStage(stage).prefetchLayers()), ZeroStage.of(stage));
      long chunks = MemoryPlanner.OPTIMIZER_CHUNK_BYTES;
      assertThat(held.bufferBytes() - chunks).as("2 bytes a buffer element, half of fp32's")
          .isEqualTo((fp32.bufferBytes() - chunks) / 2);
    }
  }

  @ParameterizedTest(name = "stage {0}")
  @ValueSource(ints = {1, 3})
  void anOverflowingScaleSkipsStepsAndHalvesUntilGradientsFit(int stage) throws Exception {
    LossScale.Options huge = new LossScale.Options(true, (float) Math.pow(2, 40), 1000, 40);
    List<RankGroup.RankResult> results = AERON.group().train(run(stage, true, huge), DATA,
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
}
