package io.sparkzero.worker.offload;

import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.worker.optim.HeapState;
import io.sparkzero.worker.optim.OptimizerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Builds a rank's offloaded stores in the tiers {@code offload.optimizer} and {@code
 * offload.params} name: the one place that reads the options; the step code sees an {@link
 * OptimizerState} whatever the tier.
 */
public final class OptimizerStates {
  private OptimizerStates() {}

  /**
   * @param owner names the state's files and threads, e.g. {@code "app-1-rank-3"}
   * @param slots state arrays per element
   * @param length elements per array (the rank's region)
   * @throws OffloadException when the nvme directory cannot be used (named, with why)
   */
  public static OptimizerState create(OffloadOptions options, String owner, int slots,
      int length) {
    OffloadPlan.Tier tier = options.plan().optimizer();
    return tier == OffloadPlan.Tier.NONE
        ? new HeapState(slots, length)
        : streamed(options, tier, owner + "-optimizer", "optimizer-state.bin", owner, slots, length);
  }

  /**
   * A rank's stage-3 parameter shard as a store of one array in the tier {@code offload.params}
   * names (host or nvme; {@code none} keeps the shard in a native array, which the trainer holds
   * itself).
   *
   * @throws IllegalArgumentException when {@code offload.params} is {@code none}
   * @throws OffloadException when the nvme directory cannot be used (named, with why)
   */
  public static StreamedState params(OffloadOptions options, String owner, int length) {
    OffloadPlan.Tier tier = options.plan().params();
    if (tier == OffloadPlan.Tier.NONE) {
      throw new IllegalArgumentException("offload.params is none: the shard stays in memory");
    }
    return streamed(options, tier, owner + "-params", "parameters.bin", owner, 1, length);
  }

  private static StreamedState streamed(OffloadOptions options, OffloadPlan.Tier tier, String name,
      String fileName, String owner, int slots, int length) {
    OffloadPlan plan = options.plan();
    int blockFloats = plan.blockFloats(slots, length);
    int blocks = plan.blockCount(slots, length);
    int staging = plan.stagingBuffers(slots, length);
    BlockTier store = tier == OffloadPlan.Tier.HOST
        ? new HostTier(slots, blockFloats, blocks)
        : FileTier.create(rankDirectory(options.nvmePath(), owner).resolve(fileName), slots,
            blockFloats, blocks);
    return new StreamedState(name, store, slots, length, blockFloats, staging);
  }

  /** The rank's own directory under {@code nvmePath}, created owner-only. */
  static Path rankDirectory(String nvmePath, String owner) {
    if (nvmePath == null || nvmePath.isBlank()) {
      throw new OffloadException("an offload tier is nvme but offload.nvme.path is empty: set it"
          + " to a local directory on a fast disk of every executor host");
    }
    Path root = Path.of(nvmePath);
    if (!Files.isDirectory(root)) {
      throw new OffloadException("offload.nvme.path " + root + " is not a directory on this"
          + " executor host: create it, or point the option at one that exists");
    }
    if (!Files.isWritable(root)) {
      throw new OffloadException("offload.nvme.path " + root + " is not writable by this"
          + " executor's user: fix its permissions or choose another directory");
    }
    Path dir = root.resolve("spark-zero-" + owner);
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
      return dir;
    } catch (IOException e) {
      throw new OffloadException("cannot create the rank's offload directory " + dir + ": " + e, e);
    }
  }
}
