package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What each ZeRO stage shards, and the region a rank's optimizer updates. */
class ZeroStageTest {

  @Test
  void eachStageShardsOneMoreComponent() {
    assertThat(ZeroStage.values()).extracting(ZeroStage::number).containsExactly(0, 1, 2, 3);
    assertThat(ZeroStage.values()).extracting(ZeroStage::shardsOptimizerState)
        .containsExactly(false, true, true, true);
    assertThat(ZeroStage.values()).extracting(ZeroStage::shardsGradients)
        .containsExactly(false, false, true, true);
    assertThat(ZeroStage.values()).extracting(ZeroStage::shardsParameters)
        .containsExactly(false, false, false, true);
    for (int n = 0; n <= 3; n++) {
      assertThat(ZeroStage.of(n).number()).isEqualTo(n);
    }
  }

  @Test
  void numbersOutsideZeroToThreeAreRefusedWithTheRange() {
    assertThatThrownBy(() -> ZeroStage.of(-1))
        .hasMessage("zero.stage -1 does not exist: expected 0..3");
    assertThatThrownBy(() -> ZeroStage.of(4))
        .hasMessage("zero.stage 4 does not exist: expected 0..3");
  }

  @Test
  void theRegionIsEveryParameterAtStage0AndTheShardAbove() {
    PartitionPlan plan = PartitionPlan.create(1000, List.of(new TensorSpan("w", 0, 0, 1000)), 3,
        PartitionOptions.defaults());
    assertThat(ZeroStage.DATA_PARALLEL.region(plan, 1)).isEqualTo(new Range(0, 1000));
    for (ZeroStage stage : ZeroStage.DATA_PARALLEL.higher()) {
      assertThat(stage.region(plan, 1)).as("%s", stage).isEqualTo(plan.shard(1));
    }
  }

  @Test
  void higherStagesComeInOrder() {
    assertThat(ZeroStage.OPTIMIZER_STATE.higher())
        .containsExactly(ZeroStage.GRADIENTS, ZeroStage.PARAMETERS);
    assertThat(ZeroStage.GRADIENTS.thisAndHigher())
        .containsExactly(ZeroStage.GRADIENTS, ZeroStage.PARAMETERS);
    assertThat(ZeroStage.PARAMETERS.higher()).isEmpty();
  }
}
