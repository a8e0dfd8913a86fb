package io.sparkzero.sharding.plan;

import java.util.Locale;

/**
 * Where a rank's optimizer state ({@code offload.optimizer}) and, at ZeRO stage 3, its parameter
 * shard ({@code offload.params}) live, and what that costs in the rank's memory and on its disk.
 * Each offloaded store is streamed through {@code bufferCount} staging buffers of one block each:
 * a block holds {@code blockFloats} elements of every array of the store (the optimizer's state
 * slots; the parameter shard is a store of one array), whole optimizer chunks, no more than the
 * region needs. The worker lays out its tiers with these same numbers, so the planner's
 * prediction is what a rank holds.
 *
 * @param optimizer the optimizer state's tier
 * @param params the stage-3 parameter shard's tier ({@link Tier#NONE}: native memory, as
 *     without offload; ignored below stage 3)
 * @param bufferCount staging buffers per store, at least 3
 * @param bufferBytes bytes of one staging buffer (one block of every array of the store)
 */
public record OffloadPlan(Tier optimizer, Tier params, int bufferCount, int bufferBytes) {

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
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }

    /** The name as the {@code offload.*} options take it. */
    public String optionName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Every tier's name as the {@code offload.*} options take it. */
    public static java.util.List<String> names() {
      return java.util.Arrays.stream(values()).map(Tier::optionName).toList();
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
    return new OffloadPlan(Tier.NONE, Tier.NONE, DEFAULT_BUFFER_COUNT, DEFAULT_BUFFER_BYTES);
  }

  /** The optimizer state in {@code tier}, nothing else offloaded. */
  public static OffloadPlan optimizer(Tier tier, int bufferCount, int bufferBytes) {
    return new OffloadPlan(tier, Tier.NONE, bufferCount, bufferBytes);
  }

  /** This plan with the optimizer state in {@code tier}. */
  public OffloadPlan withOptimizer(Tier tier) {
    return new OffloadPlan(tier, params, bufferCount, bufferBytes);
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

  /**
   * Bytes of a store's staging buffers: heap arrays, plus an aligned direct buffer each for a disk
   * tier.
   */
  public long stagingBytes(Tier tier, int slots, long length) {
    long block = blockBytes(slots, length);
    long each = tier == Tier.NVME ? 2 * block + DIRECT_ALIGN_BYTES : block;
    return stagingBuffers(slots, length) * each;
  }

  /**
   * Bytes a store of {@code slots} arrays of {@code length} elements takes in the rank's memory
   * in {@code tier} (for {@link Tier#NONE}: the arrays themselves).
   */
  public long memoryBytes(Tier tier, int slots, long length) {
    return switch (tier) {
      case NONE -> (long) slots * length * Float.BYTES;
      case HOST -> blockCount(slots, length) * blockBytes(slots, length)
          + stagingBytes(tier, slots, length);
      case NVME -> stagingBytes(tier, slots, length);
    };
  }

  /** Bytes a store of {@code slots} arrays of {@code length} elements takes on disk in {@code tier}. */
  public long diskBytes(Tier tier, int slots, long length) {
    return tier == Tier.NVME ? blockCount(slots, length) * blockBytes(slots, length) : 0;
  }

  /** Bytes the optimizer state ({@code slots} arrays over the rank's region) takes in memory. */
  public long optimizerMemoryBytes(int slots, long length) {
    return memoryBytes(optimizer, slots, length);
  }

  /** The tier the parameter shard lives in at {@code stage}: {@link #params} at stage 3 only. */
  public Tier paramsTier(ZeroStage stage) {
    return stage.shardsParameters() ? params : Tier.NONE;
  }

  /**
   * Bytes a rank keeps on disk at {@code stage}: its optimizer state ({@code slots} arrays over
   * its region of {@code length} elements) and at stage 3 its parameter shard, where on nvme.
   */
  public long diskBytes(ZeroStage stage, int slots, long length) {
    return diskBytes(optimizer, slots, length) + diskBytes(paramsTier(stage), 1, length);
  }

  /**
   * {@code m} with its optimizer state ({@code slots} fp32 floats per parameter over the rank's
   * region of {@code length} elements) and, at stage 3, its parameter shard where this plan puts
   * them. Stage 3's gathered layers stay in the buffers: offload moves what persists between
   * steps.
   */
  public StageMemory apply(StageMemory m, int slots, long length) {
    long paramBytes = paramsTier(m.stage()) == Tier.NONE
        ? m.paramBytes()
        : m.paramBytes() - length * Float.BYTES + memoryBytes(params, 1, length);
    // Only the state slots move to the tier; an fp32 master copy (16-bit compute) stays.
    long masterBytes = Math.max(0, m.optimizerBytes() - (long) slots * Float.BYTES * length);
    return new StageMemory(m.stage(), paramBytes, m.gradBytes(),
        masterBytes + optimizerMemoryBytes(slots, length), m.bufferBytes());
  }
}
