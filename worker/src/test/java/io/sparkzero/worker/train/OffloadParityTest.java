package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.offload.StreamedState;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Offload moves bytes, not math: with the optimizer state (stages 1 to 3) and the stage-3
 * parameter shard in host memory or in a file, 20 steps end with exactly the parameters of the
 * same run with everything in memory (bit for bit), each rank holds the bytes the planner
 * predicts, and the offload files are gone once the trainers close. Two ranks over real Aeron
 * IPC; 64 KiB staging buffers, so the state streams through many blocks.
 */
class OffloadParityTest {
  private static final int STEPS = 20;
  private static final int GLOBAL_BATCH = 24;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  @TempDir static Path nvme;

  static Stream<Arguments> cases() {
    Stream<Arguments> optimizer = Stream.of(1, 2, 3).flatMap(stage -> Stream.of(
        Arguments.of(stage, "host", "none"), Arguments.of(stage, "nvme", "none")));
    Stream<Arguments> params = Stream.of(Arguments.of(3, "none", "host"),
        Arguments.of(3, "none", "nvme"), Arguments.of(3, "nvme", "nvme"),
        Arguments.of(3, "host", "nvme"));
    return Stream.concat(optimizer, params);
  }

  @ParameterizedTest(name = "stage {0}, offload.optimizer {1}, offload.params {2}")
  @MethodSource("cases")
  void offloadedStateGivesTheParametersOfTheHeapState(int stage, String optimizerTier,
      String paramsTier) throws Exception {
    float[] heap = RankGroup.assemble(run(stage, OffloadOptions.none()));
    OffloadOptions offload =
        new OffloadOptions(Tier.of(optimizerTier), Tier.of(paramsTier), nvme.toString(), 3, 64 << 10);
    List<RankGroup.RankResult> results = run(stage, offload);
    try {
      assertThat(RankGroup.assemble(results)).containsExactly(heap);
      for (RankGroup.RankResult r : results) {
        long shardBytes = r.trainer().shard().length() * (long) Float.BYTES;
        OffloadPlan plan = offload.plan();
        if (!optimizerTier.equals("none")) {
          assertThat(r.trainer().optimizerState()).isInstanceOf(StreamedState.class);
          StreamedState state = (StreamedState) r.trainer().optimizerState();
          assertThat(state.readBytes()).as("each step streams the whole shard's state")
              .isEqualTo(STEPS * 2L * shardBytes);
        }
        ModelStateBytes held = r.trainer().stateBytes();
        assertThat(held.optimizerBytes()).as("optimizer bytes in memory, as planned")
            .isEqualTo(plan.optimizerMemoryBytes(2, r.trainer().shard().length()));
        if (!paramsTier.equals("none")) {
          assertThat(held.paramBytes()).as("parameter bytes in memory, as planned")
              .isEqualTo(plan.memoryBytes(plan.params(), 1, r.trainer().shard().length()));
        }
      }
      long files = Stream.of(optimizerTier, paramsTier).filter("nvme"::equals).count();
      try (Stream<Path> found = Files.walk(nvme)) {
        assertThat(found.filter(Files::isRegularFile).count())
            .as("one file per rank and offloaded store").isEqualTo(2 * files);
      }
    } finally {
      results.forEach(r -> r.trainer().close());
    }
    try (Stream<Path> left = Files.walk(nvme)) {
      assertThat(left.filter(p -> !p.equals(nvme)).toList())
          .as("closed trainers leave no files or directories").isEmpty();
    }
  }

  private static List<RankGroup.RankResult> run(int stage, OffloadOptions offload)
      throws Exception {
    return AERON.group().train("mlp", 2, ZeroOptions.ofStage(stage), offload, ADAM, DATA,
        GLOBAL_BATCH,
        STEPS);
  }
}
