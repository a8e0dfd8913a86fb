package io.sparkzero.worker.session;

import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.checkpoint.RankCheckpointer;
import io.sparkzero.worker.train.EpochRunner;
import io.sparkzero.worker.train.TrainerState;
import io.sparkzero.worker.train.ZeroTrainer;
import java.util.Map;
import java.util.TreeMap;

/**
 * One rank's checkpointing during one barrier stage: restoring a trainer that has no cached
 * state from the step the driver names, saving every {@code checkpoint.every-steps} global steps
 * (written while training goes on) and at the end of the epoch, where the stage also waits for
 * the commit, so a stage that returns has its epoch committed.
 */
final class StageCheckpoints implements AutoCloseable {
  private final RankJob job;
  private final EpochAttempt attempt;
  private final CheckpointStore store;
  private final RankCheckpointer checkpointer;

  private StageCheckpoints(RankJob job, EpochAttempt attempt, CheckpointStore store,
      RankCheckpointer checkpointer) {
    this.job = job;
    this.attempt = attempt;
    this.store = store;
    this.checkpointer = checkpointer;
  }

  /** The attempt's checkpointing; does nothing at all when the job keeps no checkpoints. */
  static StageCheckpoints open(RankJob job, EpochAttempt attempt, int rank) {
    CheckpointSettings c = job.checkpoint();
    if (!c.enabled()) {
      return new StageCheckpoints(job, attempt, null, null);
    }
    CheckpointStore store = CheckpointStore.open(c.uri(), c.hadoopConfiguration(), c.storeOptions());
    return new StageCheckpoints(job, attempt, store,
        new RankCheckpointer(store, rank, c.keep(), job.jobId() + "-rank-" + rank));
  }

  /**
   * Restores {@code trainer} from the step the driver named, if any. A step written with another
   * optimizer (which the driver let through: checkpoint.allow-optimizer-change) gives its
   * parameters only; the optimizer starts fresh.
   *
   * @return whether the trainer now holds the job's state
   */
  boolean restore(ZeroTrainer trainer) {
    long step = attempt.restoreStep();
    if (store == null || step < 0) {
      return false;
    }
    try (Checkpoint checkpoint = store.open(step)) {
      String optimizer = checkpoint.manifest().properties().get(CheckpointProperties.OPTIMIZER);
      boolean paramsOnly = optimizer != null && !optimizer.equals(job.optimizer().name());
      TrainerState.restore(trainer, checkpoint::read, checkpoint.meta(0), paramsOnly);
    }
    return true;
  }

  /** Saves at every {@code checkpoint.every-steps} global steps, except the epoch's last. */
  EpochRunner.StepHook hook(ZeroTrainer trainer) {
    int every = job.checkpoint().everySteps();
    if (store == null || every == 0) {
      return EpochRunner.StepHook.NONE;
    }
    return (step, collectives) -> {
      long global = job.globalStep(attempt.epoch(), step);
      if (global % every == 0 && step + 1 < job.stepsPerEpoch()) {
        checkpointer.save(trainer, global, properties(step + 1), collectives);
      }
    };
  }

  /**
   * Saves the end of the epoch and waits until it is committed (unless the stage restored that
   * very step and trained nothing).
   */
  void endOfEpoch(ZeroTrainer trainer, Collectives collectives) {
    if (store == null || attempt.startStep() >= job.stepsPerEpoch()) {
      return;
    }
    int last = job.stepsPerEpoch() - 1;
    checkpointer.save(trainer, job.globalStep(attempt.epoch(), last), properties(job.stepsPerEpoch()),
        collectives);
    checkpointer.commitPending(collectives);
  }

  /** What the manifest records about the job, for resuming and for the checks before it. */
  private Map<String, String> properties(int nextStepInEpoch) {
    Map<String, String> p = new TreeMap<>();
    p.put(CheckpointProperties.MODEL, job.model());
    p.put(CheckpointProperties.OPTIMIZER, job.optimizer().name());
    p.put(CheckpointProperties.ZERO_STAGE, Integer.toString(job.zero().stage().number()));
    p.put(CheckpointProperties.BATCH_SIZE, Integer.toString(job.batchSize()));
    p.put(CheckpointProperties.STEPS_PER_EPOCH, Integer.toString(job.stepsPerEpoch()));
    p.put(CheckpointProperties.SEED, Long.toString(job.seed()));
    p.put(CheckpointProperties.EPOCH, Integer.toString(attempt.epoch()));
    p.put(CheckpointProperties.NEXT_STEP_IN_EPOCH, Integer.toString(nextStepInEpoch));
    return p;
  }

  @Override
  public void close() {
    if (checkpointer != null) {
      checkpointer.close();
    }
  }
}
