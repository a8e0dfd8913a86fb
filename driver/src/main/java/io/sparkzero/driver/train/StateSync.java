package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.train.DataParallelTrainer;

/**
 * Makes every rank start a stage with the same parameters and optimizer state. At epoch 0 rank 0's
 * freshly initialised parameters are broadcast (the seed makes them equal anyway; the broadcast
 * makes it certain). Later, a rank that lost its state (scheduled on another executor) receives it
 * from the lowest rank that kept it.
 */
final class StateSync {
  private StateSync() {}

  /**
   * @return the rank the state was copied from, or -1 when every rank had it
   */
  static int align(DataParallelTrainer trainer, boolean hasState, int epoch, Collectives collectives) {
    int source;
    if (epoch == 0) {
      source = 0;
    } else {
      byte[][] flags = collectives.allGatherBytes(new byte[] {(byte) (hasState ? 1 : 0)});
      source = -1;
      boolean allHave = true;
      for (int r = flags.length - 1; r >= 0; r--) {
        if (flags[r][0] == 1) {
          source = r;
        } else {
          allHave = false;
        }
      }
      if (source < 0) {
        throw new IllegalStateException("epoch " + epoch + ": no rank holds the training state of the"
            + " previous epoch (all executors were replaced); restart the job");
      }
      if (allHave) {
        return -1;
      }
    }
    float[] params = trainer.params();
    collectives.broadcast(params, 0, params.length, source);
    for (float[] s : trainer.optimizer().state()) {
      collectives.broadcast(s, 0, s.length, source);
    }
    byte[][] stepCounts = collectives.allGatherBytes(
        java.nio.ByteBuffer.allocate(Long.BYTES).putLong(trainer.optimizer().stepCount()).array());
    trainer.optimizer().setStepCount(java.nio.ByteBuffer.wrap(stepCounts[source]).getLong());
    trainer.syncModelFromParams();
    return epoch == 0 ? -1 : source;
  }
}
