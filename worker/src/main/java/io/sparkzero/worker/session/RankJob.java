package io.sparkzero.worker.session;

import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.train.LossScale;
import io.sparkzero.worker.train.ZeroOptions;
import io.sparkzero.worker.adv.AdvOptions;
import java.io.Serializable;
import java.util.TreeMap;

/**
 * What every rank knows of its job, the same for every epoch and attempt (see {@link
 * EpochAttempt} for what changes).
 *
 * @param jobId unique id of this training job (names the executor cache and the Aeron directory)
 * @param jobToken secret carried by every collective message of this job
 * @param model model spec (built-in name or {@code file:} URI)
 * @param seed job seed
 * @param objective what the network learns: labels, or masked reconstruction of its input
 * @param optimizer optimizer and hyper-parameters
 * @param zero ZeRO stage and partitioning
 * @param offload where the rank keeps its share of the model state
 * @param batchSize examples per rank per step (all its micro-batches)
 * @param microBatches micro-batches per rank per step (gradient accumulation)
 * @param schedule the learning rate of every global step
 * @param lossScale the loss scale (dynamic with fp16) and the guard against non-finite gradients
 * @param halfPrecision whether DL4J computes in 16-bit floats (fp32 master parameters)
 * @param stepsPerEpoch lock-step count, equal on every rank
 * @param numFeatures features per example
 * @param numClasses classes
 * @param nd4jThreads OpenMP threads per rank
 * @param collective the job's {@code collective.*} options (validated on the driver)
 * @param checkpoint the job's checkpointing
 * @param adv adversarial steps (ConAdv, DisAdv), or {@link AdvOptions#NONE}
 */
public record RankJob(
    String jobId,
    long jobToken,
    String model,
    long seed,
    Objective objective,
    OptimizerOptions optimizer,
    ZeroOptions zero,
    OffloadOptions offload,
    int batchSize,
    int microBatches,
    LearningRateSchedule schedule,
    LossScale.Options lossScale,
    boolean halfPrecision,
    int stepsPerEpoch,
    int numFeatures,
    int numClasses,
    int nd4jThreads,
    TreeMap<String, String> collective,
    CheckpointSettings checkpoint,
    AdvOptions adv) implements Serializable {

  /** Global steps done when step {@code stepInEpoch} of {@code epoch} is done. */
  public long globalStep(int epoch, int stepInEpoch) {
    return (long) epoch * stepsPerEpoch + stepInEpoch + 1;
  }

  /** The global step {@code epoch} starts at (the step its previous epoch's end committed). */
  public long epochStart(int epoch) {
    return (long) epoch * stepsPerEpoch;
  }
}
