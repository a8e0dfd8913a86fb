package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A stage's fixed cost, split along its critical path: each phase ends with its last rank. */
class StageOverheadTest {

  @Test
  void eachPhaseRunsFromTheLastRankLeavingThePreviousOneToTheLastRankLeavingIt() {
    StageTimeline rank0 = new StageTimeline(1_100, 1_400, 1_500, 1_510, 3_500, 3_600, false);
    StageTimeline rank1 = new StageTimeline(1_250, 1_420, 1_450, 1_460, 3_550, 3_610, false);
    StageOverhead o = StageOverhead.of(1_000, 3_900, List.of(rank0, rank1), 700);
    assertThat(o.launchMs()).isEqualTo(250); // rank 1 started last
    assertThat(o.rendezvousMs()).isEqualTo(170); // 1_420 - 1_250
    assertThat(o.stateMs()).isEqualTo(80); // 1_500 - 1_420
    assertThat(o.loopMs()).isEqualTo(2_050); // 3_550 - 1_500
    assertThat(o.finishMs()).isEqualTo(60); // 3_610 - 3_550
    assertThat(o.returnMs()).isEqualTo(290); // 3_900 - 3_610
    assertThat(o.betweenMs()).isEqualTo(300); // 1_000 - 700
    assertThat(o.fixedMs()).isEqualTo(2_900 - 2_050);
    assertThat(StageOverhead.of(1_000, 3_900, List.of(rank0), -1).betweenMs())
        .as("the run's first stage has no previous one").isEqualTo(-1);
  }
}
