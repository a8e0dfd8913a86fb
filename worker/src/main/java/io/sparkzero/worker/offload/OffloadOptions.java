package io.sparkzero.worker.offload;

import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.OffloadPlan.Tier;
import java.io.Serializable;

/**
 * Where a rank keeps its share of the model state ({@code offload.*} options), validated by the
 * driver's option registry before anything starts.
 *
 * @param optimizer where the optimizer state lives: {@code NONE} (Java heap), {@code HOST}
 *     (native memory off the heap) or {@code NVME} (a file under {@code nvmePath})
 * @param params where the parameter shard lives at ZeRO stage 3: {@code NONE} (native memory, as
 *     without offload), {@code HOST} or {@code NVME}
 * @param nvmePath local directory on every executor host for {@code nvme} tiers
 * @param bufferCount staging buffers per offloaded store, at least 3
 * @param bufferBytes bytes of one staging buffer: one block of every state array, the unit of
 *     each transfer
 */
public record OffloadOptions(Tier optimizer, Tier params, String nvmePath, int bufferCount,
    int bufferBytes)
    implements Serializable {

  /** Everything in memory, as without offload. */
  public static OffloadOptions none() {
    return new OffloadOptions(Tier.NONE, Tier.NONE, "", OffloadPlan.DEFAULT_BUFFER_COUNT,
        OffloadPlan.DEFAULT_BUFFER_BYTES);
  }

  /** The planner's view of these options (tier, staging buffers, their size). */
  public OffloadPlan plan() {
    return new OffloadPlan(optimizer, params, bufferCount, bufferBytes);
  }

  /** The same options with the optimizer state in {@code tier}. */
  public OffloadOptions withOptimizer(Tier tier) {
    return new OffloadOptions(tier, params, nvmePath, bufferCount, bufferBytes);
  }

  /** The same options with the stage-3 parameter shard in {@code tier}. */
  public OffloadOptions withParams(Tier tier) {
    return new OffloadOptions(optimizer, tier, nvmePath, bufferCount, bufferBytes);
  }
}
