package io.sparkzero.worker.session;

import java.io.Serializable;

/**
 * One attempt at one epoch: which epoch, where in it the attempt starts, and what the ranks do at
 * its end. A failed epoch is attempted again from a checkpoint, which may be mid-epoch.
 *
 * @param epoch zero-based epoch
 * @param lastEpoch whether this is the job's last epoch (ranks then drop their kept state)
 * @param returnParams whether the ranks return their parameters to the driver at the end
 * @param startStep the step of the epoch the attempt starts at (past 0 when resuming mid-epoch)
 * @param restoreStep the committed global step a rank without kept state restores from; -1: none
 *     (the ranks start from the model's initial parameters)
 */
public record EpochAttempt(int epoch, boolean lastEpoch, boolean returnParams, int startStep,
    long restoreStep) implements Serializable {

  /** The epoch from its first step, restoring from nothing. */
  public static EpochAttempt of(int epoch, boolean lastEpoch, boolean returnParams) {
    return new EpochAttempt(epoch, lastEpoch, returnParams, 0, -1);
  }

  /** The same epoch starting at {@code step}, ranks without state restoring from {@code from}. */
  public EpochAttempt resuming(int step, long from) {
    return new EpochAttempt(epoch, lastEpoch, returnParams, step, from);
  }
}
