package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code zero.overlap} at stages 0 and 1: reducing the gradient bucket by bucket during the
 * backward ({@link BackwardBuckets}) ends with the parameters of reducing it whole after the
 * backward, bit for bit, with buckets queued to the comm thread while layers were still to compute.
 * (Whether the scheduler ran the comm thread beside the backward depends on the host's load, so
 * the hidden time itself is asserted in {@link CommAgentTest}, not here.)
 * Tolerance: none, because each bucket is reduced with the plan's shards as the ring's segments,
 * so every element is added over the ranks in the same order either way. Buckets of 512 floats cut
 * the layers into many buckets, pieces of a layer among them.
 */
class OverlapParityTest {
  private static final int STEPS = 12;
  private static final int GLOBAL_BATCH = 24;
  private static final int SMALL_BUCKET = 512;
  private static final OptimizerOptions ADAM =
      new OptimizerOptions("adam", 1e-3, 0.9, 0.9, 0.999, 1e-8);
  private static final LocalDataset DATA = RankGroup.dataset(STEPS * GLOBAL_BATCH, 5);
  @RegisterExtension static final RankGroup.Fixture AERON = new RankGroup.Fixture();

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("mlp", 2, 0, 1, false),
        Arguments.of("mlp", 3, 0, 1, false),
        Arguments.of("mlp", 3, 1, 1, false),
        Arguments.of("mlp", 2, 1, 2, false), // gradient accumulation: the last micro-batch overlaps
        Arguments.of("mlp", 2, 0, 1, true), // 16-bit compute, fp32 sum
        Arguments.of("mlp", 2, 1, 2, true),
        Arguments.of("resnet", 2, 0, 2, false), // a graph, with batch norm
        Arguments.of("resnet", 2, 1, 1, false));
  }

  @ParameterizedTest(name = "{0}, {1} ranks, stage {2}, {3} micro-batch(es), 16-bit {4}")
  @MethodSource("cases")
  void bucketsReducedDuringTheBackwardEndWithTheParametersOfOneReductionAfterIt(String model,
      int ranks, int stage, int micro, boolean half) throws Exception {
    ZeroOptions zero = ZeroOptions.ofStage(stage).withBucketElements(SMALL_BUCKET);
    List<RankGroup.RankResult> overlapped = train(model, ranks, zero, micro, half);
    List<RankGroup.RankResult> after = train(model, ranks, zero.withOverlap(false), micro, half);

    assertThat(RankGroup.assemble(overlapped)).as("overlapped against one reduction, bit for bit")
        .containsExactly(RankGroup.assemble(after));
    assertThat(overlapped.get(0).losses()).as("losses").isEqualTo(after.get(0).losses());
    long hash = overlapped.get(0).trainer().paramHash();
    for (RankGroup.RankResult r : overlapped) {
      assertThat(r.trainer().paramHash()).as("every rank holds the same replica").isEqualTo(hash);
      assertThat(queuedEarly(r)).as("rank %d queued buckets while its backward went on",
          r.trainer().rank()).isPositive();
    }
    for (RankGroup.RankResult r : after) {
      assertThat(queuedEarly(r)).as("no buckets without zero.overlap").isZero();
      assertThat(r.times().hiddenCommNanos()).as("nothing overlaps without zero.overlap").isZero();
    }
    assertThat(overlapped.get(0).losses().get(STEPS - 1)).as("it learns")
        .isLessThan(overlapped.get(0).losses().get(0));
  }

  private static long queuedEarly(RankGroup.RankResult r) {
    return ((ReplicaStep) r.trainer().stageStep()).bucketsQueuedBeforeLastLayer();
  }

  private static List<RankGroup.RankResult> train(String model, int ranks, ZeroOptions zero,
      int micro, boolean half) throws Exception {
    LossScale.Options scale = half ? new LossScale.Options(true, 1024f, 4, 5)
        : LossScale.Options.fullPrecision(5);
    RankGroup.Run run = new RankGroup.Run(model, 42, ranks, zero, OffloadOptions.none(), ADAM,
        LearningRateSchedule.constant(ADAM.learningRate()), micro, scale, half);
    return AERON.group().train(run, DATA, GLOBAL_BATCH, 0, STEPS, RankGroup.Hooks.NONE);
  }
}
