package io.sparkzero.sharding.plan;

import java.util.Locale;

/**
 * Where a rank's optimizer state lives ({@code offload.optimizer}) and what that costs in the
 * rank's memory and on its disk. The state is streamed through {@code bufferCount} staging
 * buffers of one block each: a block holds {@code blockFloats} elements of every state array,
 * whole optimizer chunks, no more than the region needs. The worker lays out its tiers with these
 * same numbers, so the planner's prediction is what a rank holds.
 *
 * @param optimizer the tier
 * @param bufferCount staging buffers, at least 3
 * @param bufferBytes bytes of one staging buffer (one block of every state array)
 */
public record OffloadPlan(Tier optimizer, int bufferCount, int bufferBytes) {

  /** Elements of the optimizer's chunk arrays ({@link MemoryPlanner#OPTIMIZER_CHUNK_BYTES}). */
  public static final int CHUNK_FLOATS = (int) (MemoryPlanner.OPTIMIZER_CHUNK_BYTES / 2 / 4);

  /** Default staging buffers per offloaded store ({@code offload.buffer-count}). */
  public static final int DEFAULT_BUFFER_COUNT = 4;

  /** Default bytes of one staging buffer ({@code offload.buffer-bytes}). */
  public static final int DEFAULT_BUFFER_BYTES = 8 << 20;

  /** Alignment of the direct-I/O buffer of a disk tier's staging buffer. */
  public static final int DIRECT_ALIGN_BYTES = 4096;

  /** A tier of the memory hierarchy. */
  public enum Tier {
    /** The Java heap, as without offload. */
    NONE,
    /** Native host memory off the heap. */
    HOST,
    /** A file on a local disk. */
    NVME;

    /** The tier an option value names: {@code none}, {@code host} or {@code nvme}. */
    public static Tier of(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public OffloadPlan {
    if (bufferCount < 3) {
      throw new IllegalArgumentException("offload.buffer-count must be >= 3, got " + bufferCount);
    }
    if (bufferBytes < 1) {
      throw new IllegalArgumentException("offload.buffer-bytes must be >= 1, got " + bufferBytes);
    }
  }

  /** No offload. */
  public static OffloadPlan none() {
    return new OffloadPlan(Tier.NONE, DEFAULT_BUFFER_COUNT, DEFAULT_BUFFER_BYTES);
  }

  /** Elements of each state array per block. */
  public int blockFloats(int slots, long length) {
    long perSlot = (long) bufferBytes / Float.BYTES / Math.max(1, slots);
    long chunks = Math.max(1, perSlot / CHUNK_FLOATS);
    long needed = Math.max(1, (length + CHUNK_FLOATS - 1) / CHUNK_FLOATS);
    return (int) (Math.min(chunks, needed) * CHUNK_FLOATS);
  }

  /** Blocks covering {@code length} elements, at least one. */
  public int blockCount(int slots, long length) {
    int block = blockFloats(slots, length);
    return (int) Math.max(1, (length + block - 1) / block);
  }

  /** Staging buffers a store of this size uses: no more than it has blocks, at least 3. */
  public int stagingBuffers(int slots, long length) {
    return Math.min(bufferCount, Math.max(3, blockCount(slots, length)));
  }

  /** Bytes of one block of every state array. */
  public long blockBytes(int slots, long length) {
    return (long) slots * blockFloats(slots, length) * Float.BYTES;
  }

  /** Bytes of the staging buffers: heap arrays, plus an aligned direct buffer for a disk tier. */
  public long stagingBytes(int slots, long length) {
    long block = blockBytes(slots, length);
    long each = optimizer == Tier.NVME ? 2 * block + DIRECT_ALIGN_BYTES : block;
    return stagingBuffers(slots, length) * each;
  }

  /** Bytes the optimizer state of {@code length} elements takes in the rank's memory. */
  public long memoryBytes(int slots, long length) {
    return switch (optimizer) {
      case NONE -> (long) slots * length * Float.BYTES;
      case HOST -> blockCount(slots, length) * blockBytes(slots, length)
          + stagingBytes(slots, length);
      case NVME -> stagingBytes(slots, length);
    };
  }

  /** Bytes the optimizer state of {@code length} elements takes on disk. */
  public long diskBytes(int slots, long length) {
    return optimizer == Tier.NVME ? blockCount(slots, length) * blockBytes(slots, length) : 0;
  }

  /**
   * {@code m} with its optimizer state where this plan puts it ({@code slots} fp32 state floats
   * per parameter over the rank's region of {@code length} elements).
   */
  public StageMemory apply(StageMemory m, int slots, long length) {
    return new StageMemory(m.stage(), m.paramBytes(), m.gradBytes(), memoryBytes(slots, length),
        m.bufferBytes());
  }
}
