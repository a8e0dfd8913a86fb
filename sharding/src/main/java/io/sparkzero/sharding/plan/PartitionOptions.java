package io.sparkzero.sharding.plan;

/**
 * How a {@link PartitionPlan} cuts the flat parameter vector.
 *
 * @param alignElements every shard boundary except the end of the vector is a multiple of this
 *     many elements (16 floats = 64 bytes, one cache line and a whole number of SIMD vectors)
 * @param bucketElements the most elements one gradient-communication bucket holds
 */
public record PartitionOptions(int alignElements, int bucketElements) {

  /** Default alignment: 16 elements. */
  public static final int DEFAULT_ALIGN_ELEMENTS = 16;

  /** Default bucket: 2^20 elements (4 MiB of fp32 gradients). */
  public static final int DEFAULT_BUCKET_ELEMENTS = 1 << 20;

  public PartitionOptions {
    if (alignElements < 1) {
      throw new IllegalArgumentException("alignElements must be >= 1, got " + alignElements);
    }
    if (bucketElements < 1) {
      throw new IllegalArgumentException("bucketElements must be >= 1, got " + bucketElements);
    }
  }

  /** Alignment 16 elements, buckets of 2^20 elements. */
  public static PartitionOptions defaults() {
    return new PartitionOptions(DEFAULT_ALIGN_ELEMENTS, DEFAULT_BUCKET_ELEMENTS);
  }
}
