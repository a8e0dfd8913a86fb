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
 * leftovers of an earlier run (step directories without a manifest) are deleted first; a step whose
 * manifest is in place but does not parse is damage, like a damaged shard. A damaged checkpoint stops the job, or with
 * {@code checkpoint.on-corrupt: previous} is moved aside (kept for inspection) and gives way to the
 * one before it; never a silent load. A checkpoint of another model or data shape is a
 * configuration error ({@code checkpoint.path} points at the wrong run), a damaged one is not.
 *
 * @param step the committed global step
 * @param epoch the epoch to run next
 * @param stepInEpoch the step of that epoch to start at
 */
record ResumePoint(long step, int epoch, int stepInEpoch) {

  /**
   * @param numParams the job's parameter count; a checkpoint of another model is refused
   * @param slots the job's optimizer state slots
   */
  static Optional<ResumePoint> find(CheckpointStore store, boolean fallBack, long numParams,
      int slots, int stepsPerEpoch, PrintStream out) {
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
        return Optional.of(of(checkpoint.manifest(), store.stepUri(step), numParams, slots,
            stepsPerEpoch));
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

  private static ResumePoint of(Manifest m, String where, long numParams, int slots,
      int stepsPerEpoch) {
    if (m.numElements() != numParams || !m.arrays().equals(TrainerState.arrays(slots))) {
      throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "checkpoint " + where
          + " holds " + m.arrays() + " over " + m.numElements() + " parameters, but this job's"
          + " model and optimizer need " + TrainerState.arrays(slots) + " over " + numParams
          + ": point checkpoint.path at this model's checkpoints, or at an empty directory");
    }
    Map<String, String> p = m.properties();
    int savedStepsPerEpoch = Integer.parseInt(p.get(CheckpointProperties.STEPS_PER_EPOCH));
    if (savedStepsPerEpoch != stepsPerEpoch) {
      throw new ConfigException(JobOptions.CHECKPOINT_PATH.key(), "checkpoint " + where
          + " was written with " + savedStepsPerEpoch + " steps per epoch, this job has "
          + stepsPerEpoch + " (the data or train.batch-size x train.world-size changed): keep"
          + " them, or start from an empty checkpoint.path");
    }
    int epoch = Integer.parseInt(p.get(CheckpointProperties.EPOCH));
    int next = Integer.parseInt(p.get(CheckpointProperties.NEXT_STEP_IN_EPOCH));
    return next >= stepsPerEpoch
        ? new ResumePoint(m.step(), epoch + 1, 0)
        : new ResumePoint(m.step(), epoch, next);
  }
}
