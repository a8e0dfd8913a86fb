package io.sparkzero.worker.session;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.train.ZeroTrainer;
import java.nio.ByteBuffer;

/**
 * Makes every rank start a stage from the same state. At epoch 0 rank 0's freshly initialised
 * parameters are broadcast to the replicas (the seed makes them equal anyway; the broadcast makes
 * it certain; at ZeRO stage 3 each rank keeps only its shard of the seeded parameters). Later, a
 * rank that lost its state (scheduled on another executor) receives it from the lowest rank that
 * kept it, which is only possible at stage 0: from stage 1 on a rank's optimizer state exists
 * nowhere else, and the job stops with an error that says so.
 */
final class StateSync {
  /** Optimizer state crosses in pieces this long, wherever the state lives. */
  private static final int SYNC_CHUNK_FLOATS = 1 << 20;

  private StateSync() {}

  /**
   * @return the rank the state was copied from, or -1 when every rank had it
   */
  static int align(ZeroTrainer trainer, boolean hasState, int epoch, Collectives collectives) {
    if (epoch == 0) {
      trainer.broadcastParams(collectives, 0);
      return -1;
    }
    byte[][] flags = collectives.allGatherBytes(new byte[] {(byte) (hasState ? 1 : 0)});
    int source = -1;
    StringBuilder lost = new StringBuilder();
    for (int r = flags.length - 1; r >= 0; r--) {
      if (flags[r][0] == 1) {
        source = r;
      } else {
        lost.insert(0, lost.isEmpty() ? "" + r : r + ", ");
      }
    }
    if (lost.isEmpty()) {
      return -1;
    }
    if (source < 0) {
      throw new IllegalStateException("epoch " + epoch + ": no rank holds the training state of the"
          + " previous epoch (all executors were replaced); restart the job");
    }
    if (trainer.options().stage().shardsOptimizerState()) {
      throw new IllegalStateException("epoch " + epoch + ": rank(s) " + lost + " lost their"
          + " executor, and at zero.stage " + trainer.options().stage().number()
          + " their shard of the optimizer state exists on no other rank; restart the job (with"
          + " zero.stage 0 a peer can resend the state)");
    }
    trainer.broadcastParams(collectives, source);
    OptimizerState state = trainer.optimizerState();
    float[] chunk = new float[Math.min(state.length(), SYNC_CHUNK_FLOATS)];
    for (int slot = 0; slot < state.slots(); slot++) {
      for (int from = 0; from < state.length(); from += chunk.length) {
        int count = Math.min(chunk.length, state.length() - from);
        state.read(slot, from, chunk, 0, count);
        collectives.broadcast(chunk, 0, count, source);
        state.write(slot, from, chunk, 0, count);
      }
    }
    byte[][] stepCounts = collectives.allGatherBytes(
        ByteBuffer.allocate(Long.BYTES).putLong(trainer.optimizer().stepCount()).array());
    trainer.optimizer().setStepCount(ByteBuffer.wrap(stepCounts[source]).getLong());
    return source;
  }
}
