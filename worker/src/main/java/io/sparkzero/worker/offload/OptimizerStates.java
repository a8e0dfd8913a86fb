package io.sparkzero.worker.offload;

import io.sparkzero.worker.optim.HeapState;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.ShardStepper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Builds a rank's optimizer state in the tier {@code offload.optimizer} names: the one place that
 * reads the option; the step code sees an {@link OptimizerState} whatever the tier.
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
    return switch (options.optimizer()) {
      case "none" -> new HeapState(slots, length);
      case "host" -> {
        int blockFloats = blockFloats(options, slots, length);
        yield new StreamedState(owner + "-optimizer", new HostTier(slots, blockFloats,
            StreamedState.blockCount(length, blockFloats)), slots, length, blockFloats,
            options.bufferCount());
      }
      case "nvme" -> {
        int blockFloats = blockFloats(options, slots, length);
        Path dir = rankDirectory(options.nvmePath(), owner);
        Path file = dir.resolve("optimizer-state.bin");
        yield new StreamedState(owner + "-optimizer", FileTier.create(file, slots, blockFloats,
            StreamedState.blockCount(length, blockFloats)), slots, length, blockFloats,
            options.bufferCount());
      }
      default -> throw new IllegalArgumentException("offload.optimizer: '" + options.optimizer()
          + "' is not known; allowed: none, host, nvme");
    };
  }

  /**
   * Elements of each slot per block: as many whole optimizer chunks as fit the buffer, no more
   * than the region needs, at least one chunk.
   */
  static int blockFloats(OffloadOptions options, int slots, int length) {
    int chunk = ShardStepper.CHUNK_FLOATS;
    long perSlot = (long) options.bufferBytes() / Float.BYTES / Math.max(1, slots);
    long chunks = Math.max(1, perSlot / chunk);
    long needed = Math.max(1, ((long) length + chunk - 1) / chunk);
    return (int) (Math.min(chunks, needed) * chunk);
  }

  /** The rank's own directory under {@code nvmePath}, created owner-only. */
  static Path rankDirectory(String nvmePath, String owner) {
    if (nvmePath == null || nvmePath.isBlank()) {
      throw new OffloadException("offload.optimizer is nvme but offload.nvme.path is empty: set it"
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
