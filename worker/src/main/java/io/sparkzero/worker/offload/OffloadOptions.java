package io.sparkzero.worker.offload;

import io.sparkzero.sharding.plan.OffloadPlan;
import java.io.Serializable;

/**
 * Where a rank keeps its share of the model state ({@code offload.*} options), validated by the
 * driver's option registry before anything starts.
 *
 * @param optimizer {@code none} (Java heap), {@code host} (native memory off the heap) or {@code
 *     nvme} (a file under {@code nvmePath})
 * @param nvmePath local directory on every executor host for {@code nvme} tiers
 * @param bufferCount staging buffers per offloaded store, at least 3
 * @param bufferBytes bytes of one staging buffer: one block of every state array, the unit of
 *     each transfer
 */
public record OffloadOptions(String optimizer, String nvmePath, int bufferCount, int bufferBytes)
    implements Serializable {

  /** Everything in memory, as without offload. */
  public static OffloadOptions none() {
    return new OffloadOptions("none", "", OffloadPlan.DEFAULT_BUFFER_COUNT,
        OffloadPlan.DEFAULT_BUFFER_BYTES);
  }

  /** The planner's view of these options (tier, staging buffers, their size). */
  public OffloadPlan plan() {
    return new OffloadPlan(OffloadPlan.Tier.of(optimizer), bufferCount, bufferBytes);
  }

  /** The same options with the optimizer state in {@code tier}. */
  public OffloadOptions withOptimizer(String tier) {
    return new OffloadOptions(tier, nvmePath, bufferCount, bufferBytes);
  }
}
