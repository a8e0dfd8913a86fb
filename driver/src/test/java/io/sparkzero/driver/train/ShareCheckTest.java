package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every rank needs a share of the training data; a rank left without one is named. */
class ShareCheckTest {

  @Test
  void sharesAddUpToTheExamples() {
    assertThat(TrainingJob.checkShares(List.of(3L, 2L, 1L), 3)).isEqualTo(6);
  }

  @Test
  void aRankWithoutExamplesIsNamed() {
    assertThatThrownBy(() -> TrainingJob.checkShares(List.of(1L, 0L, 0L), 3))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("train.world-size")
        .hasMessageContaining("the training data's 1 example(s) leave rank(s) [1, 2] of 3 without"
            + " any")
        .hasMessageContaining("set train.world-size to at most 1");
  }
}
