package io.sparkzero.driver.train;

import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.train.LossScale;
import io.sparkzero.worker.train.ZeroOptions;
import java.io.Serializable;

/**
 * Everything a rank needs to run one epoch, shipped inside the barrier task's closure.
 *
 * @param jobId unique id of this training job (names the executor cache and the Aeron directory)
 * @param jobToken secret carried by every collective message of this job
 * @param model model spec (built-in name or {@code file:} URI)
 * @param seed job seed
 * @param optimizer optimizer and hyper-parameters
 * @param zero ZeRO stage and partitioning
 * @param offload where the rank keeps its share of the model state
 * @param batchSize examples per rank per step (all its micro-batches)
 * @param microBatches micro-batches per rank per step (gradient accumulation)
 * @param schedule the learning rate of every global step
 * @param lossScale the loss scale (dynamic with fp16) and the guard against non-finite gradients
 * @param halfPrecision whether DL4J computes in 16-bit floats (fp32 master parameters)
 * @param stepsPerEpoch lock-step count, equal on every rank
 * @param epoch zero-based epoch this stage trains
 * @param lastEpoch whether this is the job's last epoch (ranks then drop their cached state)
 * @param returnParams whether rank 0 returns the parameters to the driver after this epoch
 * @param numFeatures features per example
 * @param numClasses classes
 * @param nd4jThreads OpenMP threads per rank
 * @param collective the job's {@code collective.*} options (validated on the driver)
 * @param checkpoint the job's checkpoint settings and the step ranks restore from
 * @param startStep the step of the epoch this stage starts at (past 0 when resuming mid-epoch)
 */
public record RankSpec(
    String jobId,
    long jobToken,
    String model,
    long seed,
    OptimizerOptions optimizer,
    ZeroOptions zero,
    OffloadOptions offload,
    int batchSize,
    int microBatches,
    LearningRateSchedule schedule,
    LossScale.Options lossScale,
    boolean halfPrecision,
    int stepsPerEpoch,
    int epoch,
    boolean lastEpoch,
    boolean returnParams,
    int numFeatures,
    int numClasses,
    int nd4jThreads,
    java.util.TreeMap<String, String> collective,
    CheckpointSpec checkpoint,
    int startStep) implements Serializable {

  /** The same job at another epoch. */
  public RankSpec forEpoch(int newEpoch, boolean last, boolean returnParameters) {
    return new RankSpec(jobId, jobToken, model, seed, optimizer, zero, offload, batchSize,
        microBatches, schedule, lossScale, halfPrecision, stepsPerEpoch, newEpoch, last, returnParameters,
        numFeatures, numClasses, nd4jThreads,
        collective, checkpoint, 0);
  }

  /** The same stage starting at {@code step} of its epoch, ranks restoring from {@code ckpt}. */
  public RankSpec resuming(int step, CheckpointSpec ckpt) {
    return new RankSpec(jobId, jobToken, model, seed, optimizer, zero, offload, batchSize,
        microBatches, schedule, lossScale, halfPrecision, stepsPerEpoch, epoch, lastEpoch, returnParams,
        numFeatures, numClasses, nd4jThreads,
        collective, ckpt, step);
  }

  /** Global steps done when step {@code stepInEpoch} of this epoch is done. */
  public long globalStep(int stepInEpoch) {
    return (long) epoch * stepsPerEpoch + stepInEpoch + 1;
  }
}
