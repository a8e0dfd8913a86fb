package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.BatchMaker;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Masked reconstruction under ZeRO: {@code fmnist-encoder} trained with {@code train.objective
 * reconstruct} on 2 ranks ends with the same parameters at stages 1, 2 and 3 as at stage 0, bit
 * for bit, as {@link ZeroParityTest} asks of classification (same kernels, same ring order). Each
 * rank masks its own examples; the mask depends on the example only, so every stage trains on
 * the same batches.
 */
class ReconstructParityTest {
  private static final int STEPS = 4;
  private static final int GLOBAL_BATCH = 8;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  @Test
  void everyStageEndsWithTheParametersOfStage0() throws Exception {
    BatchMaker masked = Objective.reconstruct(0.5).batches(9, 0, 784);
    RankGroup.Hooks hooks = new RankGroup.Hooks() {
      @Override
      public BatchMaker batches() {
        return masked;
      }
    };
    List<RankGroup.RankResult> stage0 = train(0, hooks);
    float[] reference = RankGroup.assemble(stage0);
    assertThat(stage0.get(0).losses().get(0)).as("the loss is the reconstruction's, per pixel"
        + " summed over 784 outputs").isGreaterThan(100);
    for (int stage = 0; stage <= 3; stage++) { // stage 0 again: the run is deterministic
      float[] params = RankGroup.assemble(train(stage, hooks));
      // Arrays.equals, not containsExactly: AssertJ's diff of 1.8 million floats takes minutes
      assertThat(Arrays.equals(params, reference)).as("stage %d against stage 0, bit for bit"
          + " (relative L2 %s)", stage, RankGroup.relativeL2(params, reference)).isTrue();
    }
    float[] unmasked = RankGroup.assemble(train(0, new RankGroup.Hooks() {
      @Override
      public BatchMaker batches() {
        return (data, indices) -> new LocalDataset.Batch(masked.batch(data, indices).labels(),
            masked.batch(data, indices).labels());
      }
    }));
    assertThat(Arrays.equals(unmasked, reference)).as("the mask reaches the network").isFalse();
  }

  private static List<RankGroup.RankResult> train(int stage, RankGroup.Hooks hooks) throws Exception {
    return AERON.group().train(new RankGroup.Run("fmnist-encoder", 42, 2, ZeroOptions.ofStage(stage),
        OffloadOptions.none(), ADAM), DATA, GLOBAL_BATCH, 0, STEPS, hooks);
  }
}
