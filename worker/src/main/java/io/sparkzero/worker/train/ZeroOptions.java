package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Wire;
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
 * @param overlapBackward stages 0 and 1: reduce each gradient bucket as soon as its layers'
 *     backward is done ({@link BackwardBuckets}), rather than the whole gradient after the backward
 * @param wire what gradient reductions send ({@code zero.wire}): fp32, or 16-bit payloads added in
 *     fp32 at every hop; parameter gathers send it too wherever the gathered copy is not the fp32
 *     master itself (stage 3's gathered fp32 layers, a 16-bit network's master gathered at stage
 *     1); a 16-bit network's stage 2-3 gathers move its 16-bit values over any wire
 */
public record ZeroOptions(ZeroStage stage, int alignElements, int bucketElements, int prefetchLayers,
    boolean overlapBackward, Wire wire) implements Serializable {

  /** The default bucket: 1 Mi floats (4 MiB). */
  public static final int DEFAULT_BUCKET_ELEMENTS = 1 << 20;

  /** Defaults: 16-float (64-byte) alignment, 1 Mi-float buckets, one layer prefetched, overlap. */
  public static ZeroOptions ofStage(ZeroStage stage) {
    return new ZeroOptions(stage, 16, DEFAULT_BUCKET_ELEMENTS, 1, true, Wire.FP32);
  }

  /** These options with the backward overlap on or off. */
  public ZeroOptions withOverlap(boolean overlap) {
    return new ZeroOptions(stage, alignElements, bucketElements, prefetchLayers, overlap, wire);
  }

  /** These options with gradient buckets of at most {@code elements}. */
  public ZeroOptions withBucketElements(int elements) {
    return new ZeroOptions(stage, alignElements, elements, prefetchLayers, overlapBackward, wire);
  }

  /** These options with {@code wire} on the wire. */
  public ZeroOptions withWire(Wire wire) {
    return new ZeroOptions(stage, alignElements, bucketElements, prefetchLayers, overlapBackward,
        wire);
  }

  /** {@link #ofStage(ZeroStage)} by the stage's number, 0..3. */
  public static ZeroOptions ofStage(int stage) {
    return ofStage(ZeroStage.of(stage));
  }

  public ZeroOptions {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(wire, "wire");
    if (alignElements < 1 || bucketElements < 1 || prefetchLayers < 0) {
      throw new IllegalArgumentException("zero options out of range: align " + alignElements
          + ", bucket " + bucketElements + ", prefetch " + prefetchLayers);
    }
  }
}
