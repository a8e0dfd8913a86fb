package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * How a rank partitions its model state (ZeRO, see {@code shared/ALGORITHMS.md} section 1).
 *
 * @param stage 0: replicated; 1: optimizer state sharded; 2: and gradients; 3: and parameters
 * @param alignElements shard boundaries fall on multiples of this many floats
 * @param bucketElements largest gradient bucket reduce-scattered at once during the backward pass
 * @param prefetchLayers stage 3: layers whose parameter gather is in flight ahead of the one
 *     computing
 */
public record ZeroOptions(int stage, int alignElements, int bucketElements, int prefetchLayers)
    implements Serializable {

  /** Defaults: 16-float (64-byte) alignment, 1 Mi-float buckets, one layer prefetched. */
  public static ZeroOptions ofStage(int stage) {
    return new ZeroOptions(stage, 16, 1 << 20, 1);
  }

  public ZeroOptions {
    if (stage < 0 || stage > 3) {
      throw new IllegalArgumentException("zero.stage: " + stage + " is not allowed; allowed: 0, 1, 2, 3");
    }
    if (alignElements < 1 || bucketElements < 1 || prefetchLayers < 0) {
      throw new IllegalArgumentException("zero options out of range: align " + alignElements
          + ", bucket " + bucketElements + ", prefetch " + prefetchLayers);
    }
  }
}
