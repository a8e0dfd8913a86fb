package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.plan.Bytes;
import io.sparkzero.sharding.plan.ZeroStage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The disk side of the job's plan, checked on the driver before the Spark session exists: when
 * the plan keeps state on disk ({@link MemoryCheck.JobPlan#diskBytesPerRank()} above 0), {@code
 * offload.nvme.path} must be set, and where every rank runs on this host (a {@code local} or
 * {@code local-cluster} master) it must be an existing, writable directory whose file system has
 * room for all ranks' files at once. A job that would fail there stops before it starts.
 *
 * <p>On a cluster the driver cannot see the executors' disks and says nothing about them: each
 * rank checks its own when its trainer is built, before its first step, and fails naming the file
 * and the bytes needed and free (the offload tier's {@code FileTier}).
 */
public final class NvmePathCheck {
  private NvmePathCheck() {}

  /** Throws {@link ConfigException} on {@code offload.nvme.path}: what is wrong, what to do. */
  public static void check(JobConfig config, MemoryCheck.JobPlan plan) {
    long bytesPerRank = plan.diskBytesPerRank();
    if (bytesPerRank == 0) {
      return;
    }
    String path = config.get(JobOptions.OFFLOAD_NVME_PATH);
    if (path.isBlank()) {
      throw fail("empty, but the job keeps " + Bytes.format(bytesPerRank) + " per rank on disk"
          + " (offload.optimizer is " + config.get(JobOptions.OFFLOAD_OPTIMIZER).optionName() + ", offload.params"
          + " is " + config.get(JobOptions.OFFLOAD_PARAMS).optionName() + "): set it to"
          + " a local directory on a fast disk of every executor host");
    }
    String master = SparkSessions.master(config);
    if (SparkSessions.isLocal(master)) {
      check(Path.of(path), config.get(JobOptions.WORLD_SIZE), bytesPerRank, plan.stage(), master);
    }
  }

  /**
   * Checks {@code dir} for {@code ranks} ranks of {@code bytesPerRank} each, all on this host.
   *
   * @param stage the job's ZeRO stage, for the advice when space is short
   * @param master names where the ranks run, for the message
   */
  static void check(Path dir, int ranks, long bytesPerRank, ZeroStage stage, String master) {
    long neededBytes = Math.multiplyExact(ranks, bytesPerRank);
    String need = ranks + " x " + bytesPerRank + " = " + neededBytes + " bytes ("
        + Bytes.format(neededBytes) + ") for the offload files of the " + ranks + " ranks of "
        + master + ", all on this host";
    if (!Files.exists(dir)) {
      throw fail(dir + " does not exist; the job needs " + need + ": create the directory, or"
          + " point the option at one on a local disk with that much free space");
    }
    if (!Files.isDirectory(dir)) {
      throw fail(dir + " is a file, not a directory: point the option at a directory (each rank"
          + " creates its own spark-zero-<job>-rank-<n> directory in it)");
    }
    if (!Files.isWritable(dir)) {
      throw fail(dir + " is not writable by user " + System.getProperty("user.name") + " (or is"
          + " on a read-only file system): fix its permissions or choose another directory");
    }
    long freeBytes;
    try {
      freeBytes = Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw fail("cannot read the free space of the file system holding " + dir + ": " + e
          + ": choose a directory on a local disk");
    }
    if (freeBytes < neededBytes) {
      throw fail(dir + " has " + freeBytes + " bytes (" + Bytes.format(freeBytes) + ") free, but"
          + " the job needs " + need + ": free space there or point the option at a larger disk"
          + (!stage.shardsOptimizerState() && ranks > 1
              ? ", or set zero.stage to 1 or more so the ranks share one copy of the optimizer"
                  + " state instead of each keeping all of it"
              : ""));
    }
  }

  private static ConfigException fail(String message) {
    return new ConfigException(JobOptions.OFFLOAD_NVME_PATH.key(), message);
  }
}
