package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpochScheduleTest {

  @Test
  void stepsPerEpochIsTheGlobalCountOverTheGlobalBatch() {
    assertThat(EpochSchedule.stepsPerEpoch(60_000, 2, 128)).isEqualTo(234);
    assertThat(EpochSchedule.stepsPerEpoch(10, 4, 128)).isEqualTo(1);
  }

  @Test
  void aSmallPartitionWrapsAroundSoEveryRankRunsTheSameSteps() {
    EpochSchedule s = EpochSchedule.shuffled(5, 4, 3, 1, 0, 1);
    Set<Integer> seen = new HashSet<>();
    for (int step = 0; step < s.steps(); step++) {
      assertThat(s.indices(step)).hasSize(4);
      assertThat(Arrays.stream(s.indices(step)).allMatch(i -> i >= 0 && i < 5)).isTrue();
      Arrays.stream(s.indices(step)).forEach(seen::add);
    }
    assertThat(seen).hasSize(5);
  }

  @Test
  void orderDependsOnSeedEpochAndRank() {
    int[] a = EpochSchedule.shuffled(100, 10, 1, 1, 0, 0).indices(0);
    assertThat(EpochSchedule.shuffled(100, 10, 1, 1, 0, 0).indices(0)).containsExactly(a);
    assertThat(EpochSchedule.shuffled(100, 10, 1, 1, 1, 0).indices(0)).isNotEqualTo(a);
    assertThat(EpochSchedule.shuffled(100, 10, 1, 1, 0, 1).indices(0)).isNotEqualTo(a);
  }

  @Test
  void anEmptyPartitionIsAClearError() {
    assertThatThrownBy(() -> EpochSchedule.shuffled(0, 4, 1, 1, 0, 3))
        .hasMessageContaining("rank 3 has no training examples");
  }
}
