package io.sparkzero.sharding.plan;

/** What to change when a stage does not fit a rank's memory budget. */
final class FitAdvice {

  private FitAdvice() {}

  /**
   * The lowest stage above {@code stage} that fits at this world size; else the smallest world size
   * at which stage 3 fits, or why more ranks cannot help, followed by the optimizer state
   * offloaded to disk at this world size if that fits.
   */
  static String suggest(MemoryPlanInput in, ZeroStage stage, OffloadPlan offload,
      long budgetBytes) {
    for (ZeroStage higher : stage.higher()) {
      long peak = MemoryPlanner.plan(in, higher, offload).peakBytes();
      if (peak <= budgetBytes) {
        return "zero.stage " + higher.number() + " needs " + Bytes.format(peak) + " and fits";
      }
    }
    String offloaded = offloadAdvice(in, stage, offload, budgetBytes);
    String ranks = moreRanks(in, stage, offload, budgetBytes);
    return offloaded.isEmpty() ? ranks : ranks + "; or " + offloaded;
  }

  private static String moreRanks(MemoryPlanInput in, ZeroStage stage, OffloadPlan offload,
      long budgetBytes) {
    String prefix = stage.higher().isEmpty() ? ""
        : "no zero.stage fits at " + ranks(in.worldSize()) + "; ";
    long buffers = MemoryPlanner.plan(in, ZeroStage.PARAMETERS).bufferBytes();
    long onePerRank = buffers + 2L * in.precision().bytes() + in.optimizerBytesPerParam();
    if (onePerRank > budgetBytes) {
      return prefix + "no world size helps: the zero.stage 3 buffers alone need "
          + Bytes.format(buffers) + " (gathered layers and layer gradients in flight),"
          + " leaving no room for a shard in the budget of " + Bytes.format(budgetBytes);
    }
    int ranks = smallestWorldSizeForStage3(in, offload, budgetBytes);
    if (ranks < 0) {
      return prefix + "zero.stage 3 does not fit at up to "
          + ranks(MemoryPlanner.WORLD_SIZE_SEARCH_LIMIT) + " either";
    }
    long peak = MemoryPlanner.plan(in.withWorldSize(ranks), ZeroStage.PARAMETERS, offload)
        .peakBytes();
    return prefix + "zero.stage 3 fits from " + ranks(ranks) + " (" + Bytes.format(peak)
        + " per rank)";
  }

  /** The lowest stage from {@code stage} that fits with the optimizer state on disk, or "". */
  private static String offloadAdvice(MemoryPlanInput in, ZeroStage stage, OffloadPlan offload,
      long budgetBytes) {
    if (offload.optimizer() == OffloadPlan.Tier.NVME) {
      return "";
    }
    OffloadPlan disk = offload.withOptimizer(OffloadPlan.Tier.NVME);
    for (ZeroStage s : stage.thisAndHigher()) {
      long peak = MemoryPlanner.plan(in, s, disk).peakBytes();
      if (peak <= budgetBytes) {
        return "offload.optimizer: nvme" + (s == stage ? "" : " with zero.stage " + s.number())
            + " needs "
            + Bytes.format(peak) + " at " + ranks(in.worldSize()) + " and fits (the optimizer"
            + " state then lives on disk under offload.nvme.path)";
      }
    }
    return "";
  }

  /** Binary search: stage 3's peak never grows with the world size. -1 if none up to the limit. */
  private static int smallestWorldSizeForStage3(MemoryPlanInput in, OffloadPlan offload,
      long budgetBytes) {
    int lo = in.worldSize() + 1;
    int hi = MemoryPlanner.WORLD_SIZE_SEARCH_LIMIT;
    if (lo > hi || !fitsStage3(in, offload, hi, budgetBytes)) {
      return -1;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (fitsStage3(in, offload, mid, budgetBytes)) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  private static boolean fitsStage3(MemoryPlanInput in, OffloadPlan offload, int ranks,
      long budgetBytes) {
    return MemoryPlanner.plan(in.withWorldSize(ranks), ZeroStage.PARAMETERS, offload).peakBytes()
        <= budgetBytes;
  }

  private static String ranks(int n) {
    return n + (n == 1 ? " rank" : " ranks");
  }
}
