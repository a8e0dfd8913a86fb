package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScalingModelTest {
  private static final ScalingModel.Workload WORK =
      new ScalingModel.Workload("w", 10_000_000, 4, 0.300, 0.060);
  /** 1 GB/s, 10 µs a hop. */
  private static final ScalingModel.Link LINK = new ScalingModel.Link("l", 10e-6, 1e9);
  private static final int CLUSTER = Integer.MAX_VALUE;

  @Test
  void stage3MovesOneAndAHalfTimesStage0sBytesAndSixteenBitsHalveThem() {
    double stage0 = ScalingModel.bytesSent(ZeroStage.DATA_PARALLEL, 1000, 8, 4);
    assertThat(stage0).isEqualTo(2 * 7.0 / 8 * 4000);
    assertThat(ScalingModel.bytesSent(ZeroStage.PARAMETERS, 1000, 8, 4)).isEqualTo(1.5 * stage0);
    assertThat(ScalingModel.bytesSent(ZeroStage.GRADIENTS, 1000, 8, 2)).isEqualTo(stage0 / 2);
  }

  @Test
  void aStage0StepIsComputeOptimizerAndTheWholeAllReduce() {
    ScalingModel.Estimate e = ScalingModel.predict(WORK, LINK, ZeroStage.DATA_PARALLEL, 4, 4,
        true, CLUSTER);
    double allReduce = 2 * 3.0 / 4 * 40e6 / 1e9 + 6 * 10e-6; // 60 ms of bytes, 6 hops
    assertThat(e.commS()).isCloseTo(allReduce, within(1e-12));
    assertThat(e.exposedCommS()).as("stage 0 hides nothing").isEqualTo(e.commS());
    assertThat(e.stepS()).isCloseTo(0.300 + 0.060 + allReduce, within(1e-12));
  }

  @Test
  void shardedStagesDivideTheOptimizerAndOneRankCommunicatesNothing() {
    assertThat(ScalingModel.predict(WORK, LINK, ZeroStage.OPTIMIZER_STATE, 4, 4, false, CLUSTER)
        .optimizerS()).isCloseTo(0.015, within(1e-12));
    ScalingModel.Estimate alone = ScalingModel.predict(WORK, LINK, ZeroStage.PARAMETERS, 1, 4,
        false, CLUSTER);
    assertThat(alone.commS()).isZero();
    assertThat(alone.stepS()).isCloseTo(0.360, within(1e-12));
  }

  @Test
  void stage2sReduceScatterHidesBehindBackwardOnlyWithOverlap() {
    ScalingModel.Estimate serial = ScalingModel.predict(WORK, LINK, ZeroStage.GRADIENTS, 2, 4,
        false, CLUSTER);
    ScalingModel.Estimate overlapped = ScalingModel.predict(WORK, LINK, ZeroStage.GRADIENTS, 2,
        4, true, CLUSTER);
    double ring = 0.5 * 40e6 / 1e9; // 20 ms, well under backward's 200 ms
    assertThat(serial.exposedCommS()).isEqualTo(serial.commS());
    assertThat(overlapped.exposedCommS()).as("only the all-gather after the step")
        .isCloseTo(ring + 10e-6, within(1e-12));
  }

  @Test
  void ranksCrowdedOnFewerCoresTakeLongerInProportion() {
    ScalingModel.Estimate roomy = ScalingModel.predict(WORK, LINK, ZeroStage.DATA_PARALLEL, 2, 4,
        false, 2);
    ScalingModel.Estimate crowded = ScalingModel.predict(WORK, LINK, ZeroStage.DATA_PARALLEL, 4,
        4, false, 2);
    assertThat(roomy.computeS()).isEqualTo(0.300);
    assertThat(crowded.computeS()).isEqualTo(0.600);
    assertThat(crowded.optimizerS()).isCloseTo(0.120, within(1e-12));
  }

  @Test
  void aSlowLinkTurnsEveryStageCommunicationBoundEarlierThanAFastOne() {
    ScalingModel.Link slow = new ScalingModel.Link("slow", 50e-6, 0.1e9);
    for (ZeroStage stage : ZeroStage.values()) {
      int slowFrom = ScalingModel.communicationBoundFrom(WORK, slow, stage, 4, true, 1024);
      int fastFrom = ScalingModel.communicationBoundFrom(WORK, LINK, stage, 4, true, 1024);
      assertThat(slowFrom).as("stage %s on the slow link", stage).isBetween(2, 1024);
      assertThat(fastFrom == -1 || fastFrom >= slowFrom).as("stage %s", stage).isTrue();
    }
    ScalingModel.Workload heavy = new ScalingModel.Workload("h", 1000, 2, 10, 0.1);
    assertThat(ScalingModel.communicationBoundFrom(heavy, LINK, ZeroStage.DATA_PARALLEL, 4, true,
        1024)).isEqualTo(-1);
  }
}
