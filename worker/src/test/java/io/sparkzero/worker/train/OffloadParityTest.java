package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.offload.StreamedState;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Offload moves bytes, not math: with the optimizer state in host memory or in a file, 20 steps
 * at ZeRO stages 1 to 3 end with exactly the parameters of the same run with the state on the
 * heap (bit for bit), and the offload files are gone once the trainers close. Two ranks over real
 * Aeron IPC; 64 KiB staging buffers, so the state streams through many blocks.
 */
class OffloadParityTest {
  private static final int STEPS = 20;
  private static final int GLOBAL_BATCH = 24;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  private static RankGroup group;

  @TempDir static Path nvme;

  @BeforeAll
  static void startAeron() {
    group = new RankGroup();
  }

  @AfterAll
  static void stopAeron() {
    group.close();
  }

  static Stream<Arguments> cases() {
    return Stream.of(1, 2, 3).flatMap(stage -> Stream.of(
        Arguments.of(stage, "host"), Arguments.of(stage, "nvme")));
  }

  @ParameterizedTest(name = "stage {0}, offload.optimizer {1}")
  @MethodSource("cases")
  void offloadedStateGivesTheParametersOfTheHeapState(int stage, String tier) throws Exception {
    float[] heap = RankGroup.assemble(run(stage, OffloadOptions.none()));
    OffloadOptions offload = new OffloadOptions(tier, nvme.toString(), 3, 64 << 10);
    List<RankGroup.RankResult> results = run(stage, offload);
    try {
      assertThat(RankGroup.assemble(results)).containsExactly(heap);
      for (RankGroup.RankResult r : results) {
        assertThat(r.trainer().optimizerState()).isInstanceOf(StreamedState.class);
        StreamedState state = (StreamedState) r.trainer().optimizerState();
        assertThat(state.readBytes()).as("each step streams the whole shard's state")
            .isEqualTo(STEPS * 2L * r.trainer().shard().length() * Float.BYTES);
      }
      if (tier.equals("nvme")) {
        try (Stream<Path> files = Files.walk(nvme)) {
          assertThat(files.filter(Files::isRegularFile).count()).as("one file per rank")
              .isEqualTo(2);
        }
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
    return group.train("mlp", 2, ZeroOptions.ofStage(stage), offload, ADAM, DATA, GLOBAL_BATCH,
        STEPS);
  }
}
