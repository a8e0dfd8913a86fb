package io.sparkzero.sharding.plan;

import static io.sparkzero.sharding.plan.ZeroStage.DATA_PARALLEL;
import static io.sparkzero.sharding.plan.ZeroStage.GRADIENTS;
import static io.sparkzero.sharding.plan.ZeroStage.OPTIMIZER_STATE;
import static io.sparkzero.sharding.plan.ZeroStage.PARAMETERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryPlannerTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;
  private static final int ADAM = 2;
  private static final int MOMENTUM = 1;

  /** 320 MiB of fp32 parameters: Adam on 4 ranks, the planner's own message example. */
  private static final long PSI_320_MIB = 320 * MIB / 4;

  // ---- the formulas

  @Test
  void thePapersMixedPrecisionAdamExampleOn64Ranks() {
    long psi = 7_500_000_000L;
    int n = 64;
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(psi, n, Precision.FP16, ADAM, 100_000_000, 1);
    assertThat(in.optimizerBytesPerParam()).isEqualTo(12);
    List<StageMemory> stages = MemoryPlanner.planAll(in);
    assertThat(stages).extracting(StageMemory::stage).containsExactly(ZeroStage.values());
    assertThat(stages.get(0).persistentBytes()).isEqualTo(16 * psi);
    assertThat(stages.get(1).persistentBytes()).isEqualTo(4 * psi + 12 * psi / n);
    // stage 2 keeps its gradient shard in fp32 (the paper: 16-bit, 2 psi + 14 psi / N = 16.6 GB)
    assertThat(stages.get(2).persistentBytes()).isEqualTo(2 * psi + 16 * psi / n);
    assertThat(stages.get(2).persistentBytes() / 1e9).isCloseTo(16.9, within(0.05));
    assertThat(stages.get(3).persistentBytes()).isEqualTo(16 * psi / n);
    assertThat(stages.get(3).paramBytes()).as("the fp32 master is the parameter shard")
        .isEqualTo(4 * psi / n);
    double[] paperGb = {120, 31.4, 16.6, 1.9};
    for (int stage : new int[] {0, 1, 3}) {
      assertThat(stages.get(stage).persistentBytes() / 1e9)
          .as("stage %d in GB", stage)
          .isCloseTo(paperGb[stage], within(0.05));
    }
  }

  @Test
  void fp32AdamKeepsTwoStateFloatsAndNoMasterCopy() {
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(1_000_000, 4, Precision.FP32, ADAM, 100_000, 1);
    assertThat(in.optimizerBytesPerParam()).isEqualTo(8);
    assertThat(MemoryPlanner.planAll(in)).containsExactly(
        new StageMemory(DATA_PARALLEL, 4_000_000, 4_000_000, 8_000_000, CHUNKS),
        new StageMemory(OPTIMIZER_STATE, 4_000_000, 4_000_000, 2_000_000, CHUNKS),
        new StageMemory(GRADIENTS, 4_000_000, 1_000_000, 2_000_000, 2 * 100_000 * 4 + CHUNKS),
        new StageMemory(PARAMETERS, 1_000_000, 1_000_000, 2_000_000, (2 + 2) * 100_000 * 4 + CHUNKS));
    StageMemory stage2 = MemoryPlanner.plan(in, GRADIENTS);
    assertThat(stage2.persistentBytes()).isEqualTo(7_000_000);
    assertThat(stage2.peakBytes()).isEqualTo(7_800_000 + CHUNKS);
  }

  @Test
  void sgdNeedsOneStateFloatWithMomentumAndNoneWithout() {
    MemoryPlanInput momentum = MemoryPlanInput.withLargestLayer(1000, 2, Precision.FP32, MOMENTUM, 100, 0);
    assertThat(momentum.optimizerBytesPerParam()).isEqualTo(4);
    assertThat(MemoryPlanner.plan(momentum, DATA_PARALLEL).optimizerBytes()).isEqualTo(4000);
    assertThat(MemoryPlanner.plan(momentum, OPTIMIZER_STATE).optimizerBytes()).isEqualTo(2000);
    MemoryPlanInput plain = MemoryPlanInput.withLargestLayer(1000, 2, Precision.FP32, 0, 100, 0);
    assertThat(plain.optimizerBytesPerParam()).isZero();
    assertThat(MemoryPlanner.planAll(plain)).allSatisfy(
        m -> assertThat(m.optimizerBytes()).isZero());
    MemoryPlanInput bf16 = MemoryPlanInput.withLargestLayer(1000, 2, Precision.BF16, MOMENTUM, 100, 0);
    assertThat(bf16.optimizerBytesPerParam()).as("momentum + fp32 master copy").isEqualTo(8);
    assertThat(MemoryPlanner.plan(bf16, DATA_PARALLEL).paramBytes()).isEqualTo(2000);
  }

  @Test
  void anUnevenWorldSizeSizesEveryShardLikeTheLargest() {
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(10, 3, Precision.FP32, ADAM, 5, 1);
    assertThat(in.shardParams()).isEqualTo(4);
    assertThat(MemoryPlanner.plan(in, OPTIMIZER_STATE).optimizerBytes()).isEqualTo(32);
    assertThat(MemoryPlanner.plan(in, PARAMETERS))
        .isEqualTo(new StageMemory(PARAMETERS, 16, 16, 32, (2 + 2) * 5 * 4 + CHUNKS));
  }

  @Test
  void withOnlyTheLargestLayerKnownStageThreeBuffersAreBoundedByPrefetchPlusThreeLayers() {
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(1_000_000, 8, Precision.FP16, ADAM, 50_000, 2);
    // 16-bit layer buffers, which the collectives move as they are: 2 bytes an element
    assertThat(MemoryPlanner.plan(in, PARAMETERS).bufferBytes()).isEqualTo((3L + 2) * 50_000 * 2 + CHUNKS);
  }

  @Test
  void anAttackerAddsItsFp32CopiesToEveryStagesBuffers() {
    MemoryPlanInput plain = example(4, 1_000_000);
    MemoryPlanInput attacked = plain.withAttacker(3); // conadv, tau 1: the network and 2 snapshots
    for (ZeroStage stage : ZeroStage.values()) {
      StageMemory without = MemoryPlanner.plan(plain, stage);
      StageMemory with = MemoryPlanner.plan(attacked, stage);
      assertThat(with.bufferBytes() - without.bufferBytes()).as("stage %s", stage).isEqualTo(3L * 4 * plain.numParams());
      assertThat(with.persistentBytes()).isEqualTo(without.persistentBytes());
    }
    assertThat(attacked.withWorldSize(8).attackerCopies()).isEqualTo(3);
    assertThat(attacked.withAccumulation().attackerCopies()).isEqualTo(3);
  }

  @Test
  void inputFromAPartitionPlanTakesItsSizesAndLargestLayer() {
    PartitionPlan plan = PartitionPlan.create(100,
        Models.layers(new int[] {40, 10}, new int[] {50}), 3, PartitionOptions.defaults());
    assertThat(MemoryPlanInput.of(plan, Precision.BF16, ADAM, 2))
        .as("layers of 50 and 50: two gradients at stage 2; at stage 3 with 2 prefetched, both"
            + " layers gathered plus one gradient, or one layer plus two gradients")
        .isEqualTo(new MemoryPlanInput(100, 3, Precision.BF16, ADAM, 100, 150));
  }

  // ---- fit check

  @Test
  void aStageThatFitsSaysSo() {
    MemoryFit fit = MemoryPlanner.check(example(4, 1_000_000), OPTIMIZER_STATE, GIB);
    assertThat(fit.fits()).isTrue();
    assertThat(fit.component()).isEmpty();
    assertThat(fit.message()).isEqualTo("zero.stage 1 needs 800.1 MiB per rank (parameters"
        + " 320.0 MiB, gradients 320.0 MiB, optimizer state 160.0 MiB, buffers 128.0 KiB)"
        + " and fits the budget of 1.0 GiB");
    assertThat(MemoryPlanner.check(example(4, 1_000_000), OPTIMIZER_STATE, 800 * MIB + CHUNKS).fits()).isTrue();
    assertThat(MemoryPlanner.check(example(4, 1_000_000), OPTIMIZER_STATE, 800 * MIB + CHUNKS - 1).fits())
        .isFalse();
  }

  @Test
  void theOptimizerStateDoesNotFitAndAHigherStageDoes() {
    MemoryFit fit = MemoryPlanner.check(example(4, 1_000_000), DATA_PARALLEL, GIB);
    assertThat(fit.fits()).isFalse();
    assertThat(fit.component()).isEqualTo("optimizer state");
    assertThat(fit.message()).isEqualTo("zero.stage 0 needs 1.3 GiB per rank (parameters"
        + " 320.0 MiB, gradients 320.0 MiB, optimizer state 640.0 MiB, buffers 128.0 KiB)"
        + " but the budget is 1.0 GiB: the optimizer state does not fit;"
        + " zero.stage 1 needs 800.1 MiB and fits");
  }

  @Test
  void theGradientsDoNotFitAndOnlyStageThreeDoes() {
    // stage 1: 800 MiB, stage 2: 560 MiB + 7.6 MiB, stage 3: 320 MiB + 15.3 MiB (+ 128 KiB each)
    MemoryFit fit = MemoryPlanner.check(example(4, 1_000_000), DATA_PARALLEL, 500 * MIB);
    assertThat(fit.component()).isEqualTo("gradients");
    assertThat(fit.message()).endsWith(
        "the gradients do not fit; zero.stage 3 needs 335.4 MiB and fits");
  }

  @Test
  void theBuffersDoNotFitWhenOnlyTheStepsTransientMemoryIsTooMuch() {
    // stage 2 persistent 560 MiB, peak 567.8 MiB
    MemoryFit fit = MemoryPlanner.check(example(4, 1_000_000), GRADIENTS, 562 * MIB);
    assertThat(fit.component()).isEqualTo("buffers");
    assertThat(fit.message()).contains("the buffers do not fit; zero.stage 3 needs 335.4 MiB");
  }

  @Test
  void whenNoStageFitsTheSmallestWorldSizeForStageThreeIsSuggested() {
    MemoryPlanInput in = example(4, 1_000_000);
    MemoryFit fit = MemoryPlanner.check(in, DATA_PARALLEL, 256 * MIB);
    assertThat(fit.component()).isEqualTo("parameters");
    assertThat(fit.message()).contains(
        "the parameters do not fit; no zero.stage fits at 4 ranks;"
            + " zero.stage 3 fits from 6 ranks (228.7 MiB per rank); or offload.optimizer: nvme"
            + " with zero.stage 3 needs ");
    assertThat(MemoryPlanner.check(in.withWorldSize(5), PARAMETERS, 256 * MIB).fits()).isFalse();
    assertThat(MemoryPlanner.check(in.withWorldSize(6), PARAMETERS, 256 * MIB).fits()).isTrue();
    MemoryFit stage3 = MemoryPlanner.check(in, PARAMETERS, 256 * MIB);
    assertThat(stage3.component()).isEqualTo("optimizer state");
    // With the state on disk: 80 + 80 MiB of parameter and gradient shards, 15.4 MiB of buffers
    // and 4 staging buffers of 8 MiB blocks (heap arrays plus aligned direct buffers): 64.0 MiB.
    assertThat(stage3.message()).endsWith(
        "the optimizer state does not fit; zero.stage 3 fits from 6 ranks (228.7 MiB per rank);"
            + " or offload.optimizer: nvme needs 239.4 MiB at 4 ranks and fits (the optimizer"
            + " state then lives on disk under offload.nvme.path)");
  }

  @Test
  void noWorldSizeHelpsWhenStageThreeBuffersFillTheBudget() {
    MemoryFit fit = MemoryPlanner.check(example(4, 40_000_000), DATA_PARALLEL, 256 * MIB);
    assertThat(fit.fits()).isFalse();
    assertThat(fit.message()).endsWith("no zero.stage fits at 4 ranks; no world size helps:"
        + " the zero.stage 3 buffers alone need 610.5 MiB (gathered layers and layer gradients"
        + " in flight), leaving no room for a shard"
        + " in the budget of 256.0 MiB");
  }

  @Test
  void aModelTooLargeForTheSearchedWorldSizesSaysSo() {
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(1L << 45, 1, Precision.FP32, ADAM, 1000, 1);
    MemoryFit fit = MemoryPlanner.check(in, DATA_PARALLEL, GIB);
    assertThat(fit.message()).endsWith(
        "no zero.stage fits at 1 rank; zero.stage 3 does not fit at up to 65536 ranks either");
  }

  // ---- table

  @Test
  void theTableHasAHeaderLineAndOneAlignedRowPerStage() {
    MemoryPlanInput in = MemoryPlanInput.withLargestLayer(7_500_000_000L, 64, Precision.FP16, ADAM,
        100_000_000, 1);
    String table = MemoryPlanner.table(in);
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).isEqualTo("psi = 7,500,000,000 parameters, N = 64 ranks"
        + " (shard S = 117,187,500), precision fp16 (b = 2 bytes), K = 12 bytes/parameter"
        + " (2 fp32 state floats + fp32 master copy)");
    assertThat(lines.get(1)).isEqualTo("stage  parameters   gradients  optimizer state"
        + "     buffers  persistent        peak");
    assertThat(lines.subList(1, 6)).extracting(String::length).containsOnly(lines.get(1).length());
    assertThat(lines.get(2)).isEqualTo("    0    14.0 GiB    14.0 GiB         83.8 GiB"
        + "   128.0 KiB   111.8 GiB   111.8 GiB");
    // stage 3's buffers: (1 prefetched + 3) layers of 10^8 16-bit elements, 763 MiB, + chunks
    assertThat(lines.get(5)).startsWith("    3").endsWith("763.1 MiB     1.7 GiB     2.5 GiB");
  }

  // ---- validation

  @Test
  void precisionParsesItsThreeNamesInAnyCase() {
    assertThat(Precision.parse("fp32")).isEqualTo(Precision.FP32);
    assertThat(Precision.parse("FP16")).isEqualTo(Precision.FP16);
    assertThat(Precision.parse(" Bf16 ")).isEqualTo(Precision.BF16);
    assertThat(Precision.BF16.bytes()).isEqualTo(2);
    assertThat(Precision.FP32.bytes()).isEqualTo(4);
    assertThatThrownBy(() -> Precision.parse("fp8"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown precision 'fp8': expected one of fp32, fp16, bf16");
    assertThatThrownBy(() -> Precision.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected one of fp32, fp16, bf16");
  }

  @Test
  void badInputsNameTheFieldAndItsRange() {
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(0, 1, Precision.FP32, ADAM, 1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numParams = 0 is out of range: expected 1..1125899906842624");
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(10, 0, Precision.FP32, ADAM, 1, 0))
        .hasMessageStartingWith("worldSize = 0 is out of range");
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(10, 1, null, ADAM, 1, 0))
        .hasMessageContaining("precision is missing");
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(10, 1, Precision.FP32, -1, 1, 0))
        .hasMessageStartingWith("optimizerStateFloats = -1 is out of range");
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(10, 1, Precision.FP32, ADAM, 11, 0))
        .hasMessage("largestLayerParams = 11 is out of range: expected 1..10");
    assertThatThrownBy(() -> MemoryPlanInput.withLargestLayer(10, 1, Precision.FP32, ADAM, 1, -1))
        .hasMessageStartingWith("prefetch = -1 is out of range");
    MemoryPlanInput in = example(4, 1000);
    assertThatThrownBy(() -> ZeroStage.of(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zero.stage 4 does not exist: expected 0..3");
    assertThatThrownBy(() -> MemoryPlanner.check(in, DATA_PARALLEL, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budgetBytes must be >= 1, got 0");
  }

  /** fp32 Adam with 320 MiB of parameters. */
  private static final long CHUNKS = MemoryPlanner.OPTIMIZER_CHUNK_BYTES;

  private static MemoryPlanInput example(int worldSize, long largestLayerParams) {
    return MemoryPlanInput.withLargestLayer(
        PSI_320_MIB, worldSize, Precision.FP32, ADAM, largestLayerParams, 1);
  }
}
