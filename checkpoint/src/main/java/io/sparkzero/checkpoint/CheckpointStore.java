package io.sparkzero.checkpoint;

import io.sparkzero.checkpoint.StepDirs.StepDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of one training run under a root directory on any Hadoop FileSystem ({@code
 * hdfs://}, {@code file://}, ...): ranks write shards, one committer lists them in a manifest that
 * commits the step, and resume opens the newest committed step. See the package documentation for
 * the protocol. Thread-safe as far as the FileSystem is; {@link #commit}, {@link
 * #cleanUncommitted} and {@link #retain} are meant for one process (the driver or rank 0).
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

  private final FileSystem fs;
  private final Path root;
  private final CheckpointOptions options;

  private CheckpointStore(FileSystem fs, Path root, CheckpointOptions options) {
    this.fs = fs;
    this.root = root;
    this.options = options;
  }

  /** Opens (creating if missing) the store at {@code uri}, with the default options. */
  public static CheckpointStore open(String uri, Configuration conf) {
    return open(uri, conf, CheckpointOptions.DEFAULTS);
  }

  /** Opens (creating if missing) the store at {@code uri}; shards are written as options say. */
  public static CheckpointStore open(String uri, Configuration conf, CheckpointOptions options) {
    Path root = new Path(uri);
    try {
      FileSystem fs = root.getFileSystem(conf);
      // A local disk through Hadoop's LocalFileSystem gets a CRC32 side file per file, computed
      // on every write and read: the shards carry their own CRC32C per block, so the raw local
      // file system does the I/O, without paying for checksums twice.
      return on(fs instanceof LocalFileSystem local ? local.getRaw() : fs, root, options);
    } catch (IOException e) {
      throw new UncheckedIOException("opening the checkpoint directory " + uri + ": "
          + e.getMessage() + " (check the URI's scheme and authority, e.g. hdfs://namenode:8020/"
          + "path or file:///path)", e);
    }
  }

  /** The store under {@code root} of {@code fs}; the seam tests use to inject a FileSystem. */
  static CheckpointStore on(FileSystem fs, Path root, CheckpointOptions options) {
    Path qualified = fs.makeQualified(root);
    HadoopFiles.mkdirs(fs, qualified, options.dirPermission());
    return new CheckpointStore(fs, qualified, options);
  }

  /** The root directory, fully qualified. */
  public String uri() {
    return root.toString();
  }

  /**
   * Takes this directory's lease for {@code holder} ({@link CheckpointLease}); the caller renews it
   * well within {@code ttlMillis} and closes it when the job ends.
   *
   * @throws CheckpointLease.HeldException when another job holds a live lease, or an expired one
   *     and {@code takeOver} is false
   */
  public CheckpointLease lease(CheckpointLease.Holder holder, long ttlMillis, boolean takeOver) {
    return CheckpointLease.acquire(fs, root, holder, ttlMillis, takeOver, System::currentTimeMillis,
        options.filePermission());
  }

  /** The directory of step {@code step}, fully qualified. */
  public String stepUri(long step) {
    return StepPaths.stepDir(root, step).toString();
  }

  /**
   * Starts rank {@code rank}'s shard of step {@code step}, written to {@code
   * step-%012d/rank-%05d.shard} under a temporary name until {@link ShardWriter#finish()}. A
   * finished shard of the same uncommitted step left by an earlier attempt (a stage that failed
   * before its commit) is deleted first: nothing can have loaded it.
   *
   * @throws IllegalStateException when the step is already committed
   */
  public ShardWriter beginShard(long step, int rank, ShardHeader header) {
    if (step < 0 || header.rank() != rank) {
      throw new IllegalArgumentException("beginShard(step " + step + ", rank " + rank
          + "): expected step >= 0 and a header of the same rank, got a header of rank "
          + header.rank());
    }
    Path dir = StepPaths.stepDir(root, step);
    refuseCommitted(dir, step);
    HadoopFiles.mkdirs(fs, dir, options.dirPermission());
    Path target = new Path(dir, StepPaths.shardName(rank));
    if (HadoopFiles.delete(fs, target, false)) {
      LOG.info("deleted {}, left by an earlier attempt at uncommitted step {}", target, step);
    }
    return new ShardWriter(fs, target, step, header, options);
  }

  /**
   * Commits {@code manifest}'s step: checks that every shard it lists exists with its recorded
   * length, then writes {@code manifest.json} under a temporary name and renames it into place.
   * Before the rename the step is invisible; after it, committed.
   *
   * @throws IllegalStateException when a shard file is missing or has another length, or the step
   *     is already committed; nothing is committed then
   */
  public void commit(Manifest manifest) {
    Path dir = StepPaths.stepDir(root, manifest.step());
    refuseCommitted(dir, manifest.step());
    ManifestCommit.checkShards(fs, dir, manifest);
    ManifestCommit.write(fs, dir, manifest, options.filePermission());
    LOG.info("committed step {} ({} shards) at {}", manifest.step(), manifest.worldSize(), dir);
  }

  /** The committed steps, ascending: those whose manifest exists, parses and validates. */
  public List<Long> committedSteps() {
    List<Long> steps = new ArrayList<>();
    for (StepDir dir : StepDirs.list(fs, root)) {
      if (dir.committed()) {
        steps.add(dir.step());
      } else if (dir.damaged()) {
        LOG.warn("step {} at {} has a damaged manifest: {}", dir.step(), dir.dir(), dir.whyNot());
      }
    }
    return steps;
  }

  /**
   * The steps a resume must consider, ascending: the committed ones and those whose manifest is in
   * place but damaged ({@link #open} names the damage). A damaged manifest is damage to a
   * committed step, for the caller's corruption policy to handle, not a write that never finished.
   */
  public List<Long> committedOrDamagedSteps() {
    List<Long> steps = new ArrayList<>();
    for (StepDir dir : StepDirs.list(fs, root)) {
      if (dir.committed() || dir.damaged()) {
        steps.add(dir.step());
      }
    }
    return steps;
  }

  /** The newest committed step, the one to resume from. */
  public Optional<Long> latestCommitted() {
    List<Long> steps = committedSteps();
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  /**
   * Opens committed step {@code step} for reading.
   *
   * @throws IllegalArgumentException when the step is not committed
   * @throws CheckpointCorruptException when its manifest is damaged
   */
  public Checkpoint open(long step) {
    Path dir = StepPaths.stepDir(root, step);
    Manifest manifest = StepDirs.readManifest(fs, dir, step);
    if (manifest == null) {
      throw new IllegalArgumentException("step " + step + " is not committed under " + root
          + " (no " + dir + "/" + StepPaths.MANIFEST + "); committed steps: " + committedSteps());
    }
    return new Checkpoint(fs, dir, manifest);
  }

  /**
   * Moves committed step {@code step} aside, out of the store's view, as {@code
   * damaged-step-<step>-<millis>} beside the steps: a checkpoint found damaged is kept for
   * inspection but never loaded again, and a job that falls back past it can write that step anew.
   *
   * @return the URI it now has
   */
  public String quarantine(long step) {
    Path dir = StepPaths.stepDir(root, step);
    Path aside = new Path(root, "damaged-" + dir.getName() + "-" + System.currentTimeMillis());
    HadoopFiles.renameNoReplace(fs, dir, aside, "damaged step " + step,
        "move or delete " + dir + " by hand");
    return aside.toString();
  }

  /**
   * Deletes every step directory without a manifest (writes that never committed) and stray
   * temporary files in committed ones. A step whose manifest is in place but damaged is kept: it is
   * damage, for {@link #quarantine} or a person, never deleted here. Call it only while no rank is
   * writing, e.g. at resume before the ranks start: a step being written is not committed yet
   * either.
   *
   * @return how many directories and files were deleted
   */
  public int cleanUncommitted() {
    int deleted = 0;
    for (StepDir dir : StepDirs.list(fs, root)) {
      if (dir.damaged()) {
        LOG.warn("keeping step {} at {}: its manifest is damaged ({})", dir.step(), dir.dir(), dir.whyNot());
        continue;
      }
      if (!dir.committed()) {
        LOG.info("deleting uncommitted step {} at {}: {}", dir.step(), dir.dir(), dir.whyNot());
        deleted += HadoopFiles.delete(fs, dir.dir(), true) ? 1 : 0;
        continue;
      }
      for (FileStatus file : StepDirs.listStatus(fs, dir.dir())) {
        if (StepPaths.isTemp(file.getPath().getName())) {
          LOG.info("deleting the stray temporary file {}", file.getPath());
          deleted += HadoopFiles.delete(fs, file.getPath(), false) ? 1 : 0;
        }
      }
    }
    return deleted;
  }

  /**
   * Deletes every committed step but the newest {@code keep}, oldest first; each one's manifest
   * goes first, so a deletion cut short leaves an uncommitted directory, never a committed step
   * with missing shards. Call it after committing a step, so older ones go only once a newer one
   * is safe; uncommitted steps are left to {@link #cleanUncommitted()}.
   *
   * @param keep how many of the newest committed steps to keep, at least 1
   * @return the deleted steps, ascending
   */
  public List<Long> retain(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("retain(" + keep + "): keep at least 1 committed step,"
          + " the newest one is never deleted");
    }
    List<Long> committed = committedSteps();
    List<Long> deleted =
        new ArrayList<>(committed.subList(0, Math.max(0, committed.size() - keep)));
    for (long step : deleted) {
      Path dir = StepPaths.stepDir(root, step);
      HadoopFiles.delete(fs, new Path(dir, StepPaths.MANIFEST), false);
      HadoopFiles.delete(fs, dir, true);
      LOG.info("deleted step {} at {} (keeping the newest {})", step, dir, keep);
    }
    return deleted;
  }

  private void refuseCommitted(Path dir, long step) {
    try {
      if (fs.exists(new Path(dir, StepPaths.MANIFEST))) {
        throw new IllegalStateException("step " + step + " is already committed at " + dir
            + ": committed steps are never rewritten; write a later step");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("checking " + dir + " for a manifest: " + e.getMessage(), e);
    }
  }
}
