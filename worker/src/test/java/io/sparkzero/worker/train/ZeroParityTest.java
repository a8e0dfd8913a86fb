package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.plan.MemoryPlanInput;
import io.sparkzero.sharding.plan.MemoryPlanner;
import io.sparkzero.sharding.plan.Precision;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ZeRO parity: after 20 steps on the same data, every stage ends with the parameters of stage 0
 * at the same world size, for 1, 2 and 3 ranks (3 cuts uneven shards), for the {@code mlp} and
 * for the ResNet with batch norm. Tolerance: none. Every stage runs each rank's layers on the same
 * shapes and values (so on the same kernels, whichever this CPU gets), sums the ranks' gradients
 * in the same ring order (stage 0's all-reduce has the shards as its segments) and the norms per
 * shard in shard order.
 */
class ZeroParityTest {
  private static final int STEPS = 20;
  private static final int GLOBAL_BATCH = 24;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 11);
  private static final Map<String, float[]> STAGE_0 = new HashMap<>();
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String model : List.of("mlp", "resnet")) {
      for (int ranks = 1; ranks <= 3; ranks++) {
        for (int stage : new int[] {1, 2, 3}) {
          cases.add(Arguments.of(model, ranks, stage));
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}, {1} ranks, stage {2}")
  @MethodSource("cases")
  void stageEndsWithTheParametersOfStage0(String model, int ranks, int stage) throws Exception {
    List<RankGroup.RankResult> results =
        AERON.group().train(model, ranks, ZeroOptions.ofStage(stage), ADAM, DATA, GLOBAL_BATCH,
            STEPS);
    float[] params = RankGroup.assemble(results);
    float[] reference = stage0(model, ranks);

    assertThat(params).as("stage %d against stage 0, bit for bit", stage)
        .containsExactly(reference);
    if (stage < 3) {
      long hash = results.get(0).trainer().paramHash();
      for (RankGroup.RankResult r : results) {
        assertThat(r.trainer().paramHash()).as("every rank holds the same replica").isEqualTo(hash);
      }
    }
    for (RankGroup.RankResult r : results) {
      long shardBytes = 4L * r.trainer().shard().length();
      ModelStateBytes bytes = r.trainer().stateBytes();
      assertThat(r.trainer().optimizerState().length()).as("optimizer state covers the shard only")
          .isEqualTo(r.trainer().shard().length());
      assertThat(bytes.gradBytes()).as("gradient kept between steps")
          .isEqualTo(stage >= 2 ? shardBytes : 4L * params.length);
      assertThat(bytes.paramBytes()).as("parameters kept between steps")
          .isEqualTo(stage == 3 ? shardBytes : 4L * params.length);
      long plannedBuffers = MemoryPlanner.plan(MemoryPlanInput.of(r.trainer().plan(),
          Precision.FP32, 2, ZeroOptions.ofStage(stage).prefetchLayers()),
          ZeroStage.of(stage)).bufferBytes();
      assertThat(bytes.bufferBytes()).as("every layer buffer sat where the planner laid it out")
          .isEqualTo(plannedBuffers);
    }
    if (stage == 3) {
      assertThatThrownBy(() -> results.get(0).trainer().model().params())
          .as("the full parameter vector is gone").hasMessageContaining("released");
    }
  }

  private static synchronized float[] stage0(String model, int ranks) throws Exception {
    String key = model + "/" + ranks;
    float[] params = STAGE_0.get(key);
    if (params == null) {
      List<RankGroup.RankResult> results =
          AERON.group().train(model, ranks, ZeroOptions.ofStage(0), ADAM, DATA, GLOBAL_BATCH,
              STEPS);
      params = RankGroup.assemble(results);
      assertThat(results.get(0).losses().get(STEPS - 1)).as("stage 0 learns")
          .isLessThan(results.get(0).losses().get(0));
      STAGE_0.put(key, params);
    }
    return params;
  }
}
