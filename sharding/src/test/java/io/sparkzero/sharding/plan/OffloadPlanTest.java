package io.sparkzero.sharding.plan;

import static io.sparkzero.sharding.plan.ZeroStage.GRADIENTS;
import static io.sparkzero.sharding.plan.ZeroStage.OPTIMIZER_STATE;
import static io.sparkzero.sharding.plan.ZeroStage.PARAMETERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffloadPlanTest {
  private static final int CHUNK = OffloadPlan.CHUNK_FLOATS;

  @Test
  void blocksAreWholeChunksWithinTheBufferAndNoLargerThanTheRegion() {
    OffloadPlan plan = OffloadPlan.optimizer(OffloadPlan.Tier.NVME, 4, 8 << 20);
    assertThat(plan.blockFloats(2, 1L << 30)).isEqualTo((8 << 20) / 8); // 1 MiB floats per slot
    assertThat(plan.blockFloats(2, 10 * CHUNK - 5)).isEqualTo(10 * CHUNK);
    assertThat(OffloadPlan.optimizer(OffloadPlan.Tier.HOST, 4, 16).blockFloats(2, 100)).isEqualTo(CHUNK);
    assertThat(plan.blockCount(2, 3L * (1 << 20) + 1)).isEqualTo(4);
    assertThat(plan.stagingBuffers(2, 100)).as("never fewer than 3").isEqualTo(3);
    assertThat(plan.stagingBuffers(2, 1L << 30)).isEqualTo(4);
  }

  @Test
  void eachTierMovesTheStateBetweenMemoryAndDisk() {
    long length = 40L * CHUNK; // 2 slots x 40 chunks x 64 KiB = 5 MiB, one block of 8 MiB
    long state = 2 * length * 4;
    OffloadPlan none = OffloadPlan.optimizer(OffloadPlan.Tier.NONE, 4, 8 << 20);
    OffloadPlan host = OffloadPlan.optimizer(OffloadPlan.Tier.HOST, 4, 1 << 20);
    OffloadPlan nvme = OffloadPlan.optimizer(OffloadPlan.Tier.NVME, 4, 1 << 20);
    assertThat(none.optimizerMemoryBytes(2, length)).isEqualTo(state);
    assertThat(none.diskBytes(OPTIMIZER_STATE, 2, length)).isZero();
    // 1 MiB buffers: 8 chunks per slot per block, 5 blocks, 4 staging buffers
    assertThat(host.optimizerMemoryBytes(2, length)).isEqualTo(state + 4L * (1 << 20));
    assertThat(nvme.optimizerMemoryBytes(2, length)).isEqualTo(4L * (2 * (1 << 20) + 4096));
    assertThat(nvme.diskBytes(OPTIMIZER_STATE, 2, length)).isEqualTo(state);
  }

  @Test
  void applyReplacesOnlyTheOptimizerState() {
    StageMemory m = new StageMemory(OPTIMIZER_STATE, 10, 20, 1 * 4 * 5, 40); // one state slot over 5 elements
    StageMemory offloaded = OffloadPlan.optimizer(OffloadPlan.Tier.NVME, 3, 1 << 20).apply(m, 1, 5);
    assertThat(offloaded).isEqualTo(new StageMemory(OPTIMIZER_STATE, 10, 20, 3L * (2 * CHUNK * 4 + 4096), 40));
  }

  @Test
  void anFp32MasterCopyStaysInMemoryWhenTheStateMoves() {
    // 16-bit compute: one state slot plus the 4-byte master over 5 elements
    StageMemory m = new StageMemory(OPTIMIZER_STATE, 10, 20, 1 * 4 * 5 + 4 * 5, 40);
    StageMemory offloaded = OffloadPlan.optimizer(OffloadPlan.Tier.NVME, 3, 1 << 20).apply(m, 1, 5);
    assertThat(offloaded.optimizerBytes()).isEqualTo(4 * 5 + 3L * (2 * CHUNK * 4 + 4096));
  }

  @Test
  void parameterShardMovesOnlyAtStageThree() {
    long shard = 64L * CHUNK;
    OffloadPlan params = new OffloadPlan(OffloadPlan.Tier.NONE, OffloadPlan.Tier.NVME, 4, 1 << 20);
    StageMemory stage3 = new StageMemory(PARAMETERS, shard * 4, shard * 4, 2 * shard * 4, 1000);
    // one array of 64 chunks in 1 MiB blocks: 16 chunks per block, 4 blocks, 4 staging buffers
    long staging = 4L * (2 * (1 << 20) + 4096);
    assertThat(params.apply(stage3, 2, shard))
        .isEqualTo(new StageMemory(PARAMETERS, staging, shard * 4, 2 * shard * 4, 1000));
    assertThat(params.diskBytes(PARAMETERS, 2, shard)).isEqualTo(shard * 4);
    StageMemory stage2 = new StageMemory(GRADIENTS, 999, shard * 4, 2 * shard * 4, 1000);
    assertThat(params.apply(stage2, 2, shard)).as("below stage 3 no rank owns a parameter shard")
        .isEqualTo(stage2);
    assertThat(params.diskBytes(GRADIENTS, 2, shard)).isZero();
    OffloadPlan host = new OffloadPlan(OffloadPlan.Tier.HOST, OffloadPlan.Tier.HOST, 4, 1 << 20);
    assertThat(host.apply(stage3, 2, shard).paramBytes()).isEqualTo(shard * 4 + 4L * (1 << 20));
  }

  @Test
  void fewerThanThreeBuffersAreRefused() {
    assertThatThrownBy(() -> OffloadPlan.optimizer(OffloadPlan.Tier.HOST, 2, 1 << 20))
        .hasMessageContaining("offload.buffer-count must be >= 3");
    assertThat(OffloadPlan.Tier.of("nvme")).isEqualTo(OffloadPlan.Tier.NVME);
  }
}
