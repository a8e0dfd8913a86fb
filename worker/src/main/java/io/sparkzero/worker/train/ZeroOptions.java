package io.sparkzero.worker.train;

import io.sparkzero.sharding.plan.ZeroStage;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a rank partitions its model state (ZeRO).
 *
 * @param stage what the rank shards
 * @param alignElements shard boundaries fall on multiples of this many floats
 * @param bucketElements largest gradient bucket reduce-scattered at once during the backward pass
 * @param prefetchLayers stage 3: layers whose parameter gather is in flight ahead of the one
 *     computing
 */
public record ZeroOptions(ZeroStage stage, int alignElements, int bucketElements, int prefetchLayers)
    implements Serializable {

  /** Defaults: 16-float (64-byte) alignment, 1 Mi-float buckets, one layer prefetched. */
  public static ZeroOptions ofStage(ZeroStage stage) {
    return new ZeroOptions(stage, 16, 1 << 20, 1);
  }

  /** {@link #ofStage(ZeroStage)} by the stage's number, 0..3. */
  public static ZeroOptions ofStage(int stage) {
    return ofStage(ZeroStage.of(stage));
  }

  public ZeroOptions {
    Objects.requireNonNull(stage, "stage");
    if (alignElements < 1 || bucketElements < 1 || prefetchLayers < 0) {
      throw new IllegalArgumentException("zero options out of range: align " + alignElements
          + ", bucket " + bucketElements + ", prefetch " + prefetchLayers);
    }
  }
}
