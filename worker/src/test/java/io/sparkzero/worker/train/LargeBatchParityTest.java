package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.StepReport;
import io.sparkzero.worker.optim.TensorTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LARS and LAMB on sharded state: three ranks over real Aeron IPC at ZeRO stages 1 to 3 end with
 * the parameters that three ranks with unsharded state (stage 0) reach on the same global batches,
 * with warm-up, decay and gradient clipping by the global norm in force (the clip is active in the
 * first steps: the test checks it). Per-tensor norms span shards here: three ranks cut the {@code
 * mlp}'s tensors unevenly.
 *
 * <p>Tolerance: none. Each rank runs the same layers on the same shapes and values at every stage,
 * so whichever kernels oneDNN or BLAS pick on this CPU, both sides pick the same ones; and every
 * stage adds the ranks' gradients in the same ring order and the norms' partial sums per shard in
 * shard order ({@link io.sparkzero.worker.optim.StatPieces}). Only gradient accumulation against
 * one batch of the micro-batches' size compares different shapes; that test states its bound.
 */
class LargeBatchParityTest {
  private static final int STEPS = 8;
  private static final int GLOBAL_BATCH = 48;
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  private static final Map<String, float[]> UNSHARDED = new HashMap<>();
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  static OptimizerOptions optimizer(String name) {
    double lr = name.equals("lars") ? 0.5 : 0.02;
    return new OptimizerOptions(name, lr, 0.9, 0.9, 0.999, OptimizerOptions.defaultEpsilon(name),
        OptimizerOptions.defaultWeightDecay(name), 0.01, TensorTable.DEFAULT_EXCLUDE, 1.0);
  }

  static RankGroup.Run run(String model, String optimizer, int ranks, int stage,
      OffloadOptions offload, int microBatches) {
    OptimizerOptions opt = optimizer(optimizer);
    LearningRateSchedule schedule = new LearningRateSchedule(opt.learningRate(),
        optimizer.equals("lars") ? "linear" : "sqrt", 24, GLOBAL_BATCH, 3, "poly", 2, STEPS);
    return new RankGroup.Run(model, 42, ranks, ZeroOptions.ofStage(stage), offload, opt, schedule,
        microBatches, LossScale.Options.fullPrecision(ZeroTrainer.DEFAULT_MAX_SKIPPED_STEPS),
        false);
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String optimizer : List.of("lars", "lamb")) {
      for (int stage = 1; stage <= 3; stage++) {
        cases.add(Arguments.of("mlp", optimizer, stage));
      }
    }
    cases.add(Arguments.of("resnet", "lamb", 3)); // batch norm: excluded gamma/beta, running stats
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1}, 3 ranks, stage {2}")
  @MethodSource("cases")
  void threeShardedRanksEndWithTheUnshardedParameters(String model, String optimizer, int stage)
      throws Exception {
    List<RankGroup.RankResult> results = AERON.group().train(
        run(model, optimizer, 3, stage, OffloadOptions.none(), 1), DATA, GLOBAL_BATCH, 0, STEPS,
        RankGroup.Hooks.NONE);
    float[] params = RankGroup.assemble(results);

    assertThat(params).as("stage %d against stage 0, bit for bit", stage)
        .containsExactly(unsharded(model, optimizer));
    for (RankGroup.RankResult r : results) {
      assertThat(r.reports()).allMatch(StepReport::applied);
      assertThat(r.reports().get(0).clipFactor()).as("the first steps are clipped").isLessThan(1);
    }
  }

  /**
   * LAMB's two sweeps stream an offloaded state (and stage 3's offloaded parameters) twice per
   * step, LARS's norm sweep reads the offloaded parameters before its update: bit for bit the
   * in-memory result.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("rules")
  void overOffloadedStateAndParametersMatchesInMemoryBitForBit(String optimizer,
      @TempDir Path dir) throws Exception {
    float[] inMemory = RankGroup.assemble(AERON.group().train(
        run("mlp", optimizer, 2, 3, OffloadOptions.none(), 1), DATA, GLOBAL_BATCH, 0, STEPS,
        RankGroup.Hooks.NONE));
    OffloadOptions nvme = new OffloadOptions(Tier.NVME, Tier.NVME, dir.toString(), 4, 64 << 10);
    float[] offloaded = RankGroup.assemble(AERON.group().train(
        run("mlp", optimizer, 2, 3, nvme, 1), DATA, GLOBAL_BATCH, 0, STEPS,
        RankGroup.Hooks.NONE));
    assertThat(offloaded).containsExactly(inMemory);
  }

  static Stream<String> rules() {
    return Stream.of("lars", "lamb");
  }

  /**
   * Gradient accumulation at every stage. Stages 0 and 1 add each rank's micro-batches first and
   * then the ranks (one reduction a step), stages 2 and 3 reduce every micro-batch as its layers
   * finish and add the reduced parts into the shard, as ZeRO-2 does to keep the gradient sharded.
   * So stage 1 ends bit for bit where stage 0 does and stage 3 where stage 2 does; between the two
   * pairs each gradient element is a sum of the same {@code R M = 12} terms (3 ranks, 4
   * micro-batches) in another order. Bound: recursive summation of n terms is within {@code (n -
   * 1) u} of the sum of the magnitudes, {@code u = 2^-24}, per step, compounded over {@code S = 8}
   * steps: {@code S (R M - 1) u = 5.2e-6} relative.
   */
  @ParameterizedTest(name = "stage {0}")
  @MethodSource("stages")
  void fourMicroBatchesStepAtEveryStageAsAtStageZero(int stage) throws Exception {
    float[] accumulated = accumulated(stage);
    if (stage <= 1) {
      assertThat(accumulated).as("stage %d against stage 0", stage).containsExactly(accumulated(0));
    } else {
      assertThat(accumulated).as("stage %d against stage 2", stage).containsExactly(accumulated(2));
      double bound = STEPS * (3 * 4 - 1) * Math.ulp(1.0f) / 2;
      assertThat(RankGroup.relativeL2(accumulated, accumulated(0))).as("against stage 0")
          .isLessThanOrEqualTo(bound);
    }
  }

  /**
   * 4 micro-batches of 4 per rank make the steps of one batch of 16. The two compute each layer on
   * different shapes (4 rows against 16), so their sums run in orders that the kernels oneDNN and
   * BLAS pick for this CPU decide. Bound: float32 rounding, {@code u = 2^-24} per operation, in
   * dot products of at most {@code K = 784} terms (the widest layer's fan-in) costs a relative
   * {@code K u} per step, compounded over the {@code S = 8} steps: {@code S K u = 3.7e-4}.
   */
  @Test
  void fourMicroBatchesMatchOneBatchOfTheirSizeWithinFloatRounding() throws Exception {
    float[] whole = RankGroup.assemble(AERON.group().train(
        run("mlp", "lamb", 3, 0, OffloadOptions.none(), 1), DATA, GLOBAL_BATCH, 0, STEPS,
        RankGroup.Hooks.NONE));
    double bound = STEPS * 784 * Math.ulp(1.0f) / 2;
    assertThat(RankGroup.relativeL2(accumulated(0), whole)).isLessThanOrEqualTo(bound);
  }

  /** The mlp's parameters after 4 micro-batches of 4 per rank at {@code stage}, run once. */
  private static synchronized float[] accumulated(int stage) throws Exception {
    return UNSHARDED.computeIfAbsent("mlp/lamb/4 micro-batches/stage " + stage, key -> {
      try {
        return RankGroup.assemble(AERON.group().train(
            run("mlp", "lamb", 3, stage, OffloadOptions.none(), 4), DATA, GLOBAL_BATCH, 0, STEPS,
            RankGroup.Hooks.NONE));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static Stream<Integer> stages() {
    return Stream.of(0, 1, 2, 3);
  }

  private static synchronized float[] unsharded(String model, String optimizer) throws Exception {
    String key = model + "/" + optimizer;
    float[] params = UNSHARDED.get(key);
    if (params == null) {
      List<RankGroup.RankResult> one = AERON.group().train(
          run(model, optimizer, 3, 0, OffloadOptions.none(), 1), DATA, GLOBAL_BATCH, 0, STEPS,
          RankGroup.Hooks.NONE);
      assertThat(one.get(0).losses().get(STEPS - 1)).as("stage 0 learns")
          .isLessThan(one.get(0).losses().get(0));
      params = RankGroup.assemble(one);
      UNSHARDED.put(key, params);
    }
    return params;
  }
}
