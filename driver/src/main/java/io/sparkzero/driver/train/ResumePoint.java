package io.sparkzero.driver.train;

import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointCorruptException;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.checkpoint.Manifest;
import io.sparkzero.driver.errors.DamagedCheckpointException;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.session.CheckpointProperties;
import io.sparkzero.worker.train.TrainerState;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a job resumes: the newest committed checkpoint under {@code checkpoint.path} that passes
 * its integrity checks and fits the job, found on the driver before any stage runs. Uncommitted
 * leftovers of an earlier run (step directories without a manifest) are deleted first; a step
 * whose manifest is in place but does not parse is damage, like a damaged shard. A damaged
 * checkpoint stops the job, or with {@code checkpoint.on-corrupt: previous} is moved aside (kept
 * for inspection) and gives way to the one before it; never a silent load. A checkpoint of another
 * model, seed, optimizer or data shape is a configuration error ({@code checkpoint.path} points at
 * the wrong run), a damaged one is not.
 *
 * @param step the committed global step
 * @param epoch the epoch to run next
 * @param stepInEpoch the step of that epoch to start at
 */
record ResumePoint(long step, int epoch, int stepInEpoch) {

  /**
   * What of the job a checkpoint must match.
   *
   * @param model the job's {@code model}
   * @param seed the job's {@code train.seed}
   * @param optimizer the job's {@code optimizer.name}
   * @param allowOptimizerChange {@code checkpoint.allow-optimizer-change}: a checkpoint of another
   *     optimizer gives its parameters only
   * @param numParams the job's parameter count; a checkpoint of another model is refused
   * @param slots the job's optimizer state slots
   * @param stepsPerEpoch the job's steps per epoch
   */
  record Job(String model, long seed, String optimizer, boolean allowOptimizerChange, long numParams,
      int slots, int stepsPerEpoch) {}

  static Optional<ResumePoint> find(CheckpointStore store, boolean fallBack, Job job, PrintStream out) {
    int cleaned = store.cleanUncommitted();
    if (cleaned > 0) {
      out.printf("spark-zero: checkpoint: removed %d uncommitted leftover(s) under %s%n", cleaned,
          store.uri());
    }
    // A damaged manifest is damage to a committed step: on-corrupt decides, as for a damaged shard.
    List<Long> steps = store.committedOrDamagedSteps();
    for (int i = steps.size() - 1; i >= 0; i--) {
      long step = steps.get(i);
      try (Checkpoint checkpoint = store.open(step)) {
        checkpoint.verify();
        return Optional.of(of(checkpoint.manifest(), store.stepUri(step), job, out));
      } catch (CheckpointCorruptException e) {
        if (!fallBack) {
          throw new DamagedCheckpointException(e, "set checkpoint.on-corrupt: previous to resume"
              + " from the committed step before it, or point checkpoint.path at an empty"
              + " directory to start over");
        }
        if (i == 0) {
          throw new DamagedCheckpointException(e, "no older committed checkpoint is left to fall"
              + " back to under " + store.uri() + "; point checkpoint.path at an empty directory"
              + " to start over");
        }
        String aside = store.quarantine(step);
        out.printf("spark-zero: checkpoint %s is damaged (%s); moved to %s, falling back to the"
            + " previous one%n", store.stepUri(step), e.getMessage(), aside);
      }
    }
    return Optional.empty();
  }

  private static ResumePoint of(Manifest m, String where, Job job, PrintStream out) {
    Map<String, String> p = m.properties();
    String model = p.get(CheckpointProperties.MODEL);
    if (model != null && !model.equals(job.model())) {
      throw new ConfigException(JobOptions.MODEL.key(), "checkpoint " + where + " was written by model '"
          + model + "', this job trains '" + job.model() + "': train that model, or point checkpoint.path at"
          + " this model's checkpoints or at an empty directory");
    }
    String seed = p.get(CheckpointProperties.SEED);
    if (seed != null && Long.parseLong(seed) != job.seed()) {
      throw new ConfigException(JobOptions.SEED.key(), "checkpoint " + where + " was written with train.seed "
          + seed + ", this job has " + job.seed() + " (the seed orders the data, so another one is another"
          + " run): set train.seed " + seed + ", or start from an empty checkpoint.path");
    }
    String optimizer = p.get(CheckpointProperties.OPTIMIZER);
    boolean optimizerChanged = optimizer != null && !optimizer.equals(job.optimizer());
    if (optimizerChanged && !job.allowOptimizerChange()) {
      throw new ConfigException(JobOptions.OPTIMIZER.key(), "checkpoint " + where + " was written with"
          + " optimizer.name " + optimizer + ", this job uses " + job.optimizer() + ": set optimizer.name "
          + optimizer + ", or set checkpoint.allow-optimizer-change true to resume its parameters with"
          + " fresh " + job.optimizer() + " state");
    }
    List<String> arrays = TrainerState.arrays(job.slots());
    if (m.numElements() != job.numParams()
        || !optimizerChanged && !m.arrays().equals(arrays)
        || optimizerChanged && !m.arrays().get(0).equals(arrays.get(0))) {
      throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "checkpoint " + where
          + " holds " + m.arrays() + " over " + m.numElements() + " parameters, but this job's"
          + " model and optimizer need " + arrays + " over " + job.numParams()
          + ": point checkpoint.path at this model's checkpoints, or at an empty directory");
    }
    if (optimizerChanged) {
      out.printf("spark-zero: checkpoint %s was written with optimizer.name %s; resuming its parameters with"
          + " fresh %s state (checkpoint.allow-optimizer-change)%n", where, optimizer, job.optimizer());
    }
    int savedStepsPerEpoch = Integer.parseInt(p.get(CheckpointProperties.STEPS_PER_EPOCH));
    if (savedStepsPerEpoch != job.stepsPerEpoch()) {
      throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "checkpoint " + where
          + " was written with " + savedStepsPerEpoch + " steps per epoch, this job has "
          + job.stepsPerEpoch() + " (the data or train.batch-size x train.world-size changed): keep"
          + " them, or start from an empty checkpoint.path");
    }
    int epoch = Integer.parseInt(p.get(CheckpointProperties.EPOCH));
    int next = Integer.parseInt(p.get(CheckpointProperties.NEXT_STEP_IN_EPOCH));
    return next >= job.stepsPerEpoch()
        ? new ResumePoint(m.step(), epoch + 1, 0)
        : new ResumePoint(m.step(), epoch, next);
  }
}
