package io.sparkzero.worker.train;

import java.io.Serializable;

/**
 * What one rank reports to the driver after an epoch.
 *
 * @param rank the rank
 * @param epoch zero-based epoch
 * @param steps steps taken (equal on every rank)
 * @param samples examples this rank trained on
 * @param meanLoss loss averaged over ranks and steps
 * @param paramHash {@link ParamHash} of the parameters after the epoch (the replica at stages
 *     0-2, the rank's shard at stage 3)
 * @param times where the rank's time went
 * @param trainNanos wall time of the step loop
 * @param stateBytes the rank's model-state bytes after the epoch, from its live buffers
 * @param skippedSteps steps skipped for an inf or NaN gradient (on any rank) in this epoch
 * @param lastLearningRate the learning rate of the epoch's last step
 * @param lastGradNorm the global gradient norm (before clipping) of the epoch's last step
 * @param lossScale the loss scale after the epoch
 * @param commBytesSent bytes this rank's collectives sent during the step loop (payload and
 *     headers as they travel: half the payload with a 16-bit {@code zero.wire})
 */
public record EpochResult(
    int rank, int epoch, int steps, long samples, double meanLoss, long paramHash,
    StepTimes times, long trainNanos, ModelStateBytes stateBytes, int skippedSteps,
    double lastLearningRate, double lastGradNorm, float lossScale, long commBytesSent)
    implements Serializable {}
