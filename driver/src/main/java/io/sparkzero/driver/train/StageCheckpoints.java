package io.sparkzero.driver.train;

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
  private final RankSpec spec;
  private final CheckpointStore store;
  private final RankCheckpointer checkpointer;

  private StageCheckpoints(RankSpec spec, CheckpointStore store, RankCheckpointer checkpointer) {
    this.spec = spec;
    this.store = store;
    this.checkpointer = checkpointer;
  }

  /** The stage's checkpointing; does nothing at all when the job keeps no checkpoints. */
  static StageCheckpoints open(RankSpec spec, int rank) {
    CheckpointSpec c = spec.checkpoint();
    if (!c.enabled()) {
      return new StageCheckpoints(spec, null, null);
    }
    CheckpointStore store = CheckpointStore.open(c.uri(), c.hadoopConfiguration());
    return new StageCheckpoints(spec, store,
        new RankCheckpointer(store, rank, c.keep(), spec.jobId() + "-rank-" + rank));
  }

  /**
   * Restores {@code trainer} from the step the driver named, if any.
   *
   * @return whether the trainer now holds the job's state
   */
  boolean restore(ZeroTrainer trainer) {
    long step = spec.checkpoint().restoreStep();
    if (store == null || step < 0) {
      return false;
    }
    try (Checkpoint checkpoint = store.open(step)) {
      TrainerState.restore(trainer, checkpoint::read, checkpoint.meta(0));
    }
    return true;
  }

  /** Saves at every {@code checkpoint.every-steps} global steps, except the epoch's last. */
  EpochRunner.StepHook hook(ZeroTrainer trainer) {
    int every = spec.checkpoint().everySteps();
    if (store == null || every == 0) {
      return EpochRunner.StepHook.NONE;
    }
    return (step, collectives) -> {
      long global = spec.globalStep(step);
      if (global % every == 0 && step + 1 < spec.stepsPerEpoch()) {
        checkpointer.save(trainer, global, properties(step + 1), collectives);
      }
    };
  }

  /**
   * Saves the end of the epoch and waits until it is committed (unless the stage restored that
   * very step and trained nothing).
   */
  void endOfEpoch(ZeroTrainer trainer, Collectives collectives) {
    if (store == null || spec.startStep() >= spec.stepsPerEpoch()) {
      return;
    }
    int last = spec.stepsPerEpoch() - 1;
    checkpointer.save(trainer, spec.globalStep(last), properties(spec.stepsPerEpoch()),
        collectives);
    checkpointer.commitPending(collectives);
  }

  /** What the manifest records about the job, for resuming and for the checks before it. */
  private Map<String, String> properties(int nextStepInEpoch) {
    Map<String, String> p = new TreeMap<>();
    p.put(CheckpointProperties.MODEL, spec.model());
    p.put(CheckpointProperties.OPTIMIZER, spec.optimizer().name());
    p.put(CheckpointProperties.ZERO_STAGE, Integer.toString(spec.zero().stage().number()));
    p.put(CheckpointProperties.BATCH_SIZE, Integer.toString(spec.batchSize()));
    p.put(CheckpointProperties.STEPS_PER_EPOCH, Integer.toString(spec.stepsPerEpoch()));
    p.put(CheckpointProperties.SEED, Long.toString(spec.seed()));
    p.put(CheckpointProperties.EPOCH, Integer.toString(spec.epoch()));
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
