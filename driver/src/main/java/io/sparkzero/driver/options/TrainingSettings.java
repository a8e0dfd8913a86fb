package io.sparkzero.driver.options;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.optim.LearningRateSchedule;
import io.sparkzero.worker.optim.OptimizerKind;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.train.LossScale;
import io.sparkzero.worker.train.ZeroOptions;
import java.util.regex.PatternSyntaxException;

/**
 * The records the ranks train with, read from a job's options: the global batch and its gradient
 * accumulation, the optimizer with its per-optimizer defaults filled in, the learning-rate
 * schedule, the guard against non-finite gradients, the ZeRO and the offload options. {@link
 * #check} runs with the other option checks, before the Spark session exists.
 */
public final class TrainingSettings {
  private TrainingSettings() {}

  /** Refuses combinations no single option's range catches. */
  public static void check(JobConfig config) {
    accumulation(config);
    String precision = config.get(JobOptions.PRECISION);
    if (precision.equals("bf16")) {
      throw new ConfigException(JobOptions.PRECISION.key(), "bf16 does not run: DL4J"
          + " 1.0.0-M2.1's layers take DOUBLE, FLOAT or HALF only; use fp16 (HALF) or fp32");
    }
    OptimizerKind kind = config.get(JobOptions.OPTIMIZER);
    String name = kind.optionName();
    double decay = config.get(JobOptions.WEIGHT_DECAY);
    if (!Double.isNaN(decay) && decay != 0 && !kind.takesWeightDecay()) {
      throw new ConfigException(JobOptions.WEIGHT_DECAY.key(), "weight decay " + decay + " with"
          + " optimizer.name " + name + ", which takes none here: use lars or lamb, or leave it"
          + " empty");
    }
    double epsilon = config.get(JobOptions.EPSILON);
    if (epsilon == 0 && kind.dividesByEpsilon()) {
      throw new ConfigException(JobOptions.EPSILON.key(), "0 with optimizer.name " + name + ":"
          + " a tensor with no gradient would divide 0 by 0; give a positive epsilon or leave it"
          + " empty (" + kind.defaultEpsilon() + ")");
    }
    try {
      OptimizerOptions.excludePattern(config.get(JobOptions.EXCLUDE));
    } catch (PatternSyntaxException e) {
      throw new ConfigException(JobOptions.EXCLUDE.key(), "'" + config.get(JobOptions.EXCLUDE)
          + "' is not a Java regular expression: " + e.getDescription() + " at index "
          + e.getIndex());
    }
    if (config.get(JobOptions.LR_WARMUP_EPOCHS) > 0 && config.get(JobOptions.LR_WARMUP_STEPS) > 0) {
      throw new ConfigException(JobOptions.LR_WARMUP_STEPS.key(), "lr.warmup-steps "
          + config.get(JobOptions.LR_WARMUP_STEPS) + " and lr.warmup-epochs "
          + config.get(JobOptions.LR_WARMUP_EPOCHS) + " are both set: give the warm-up one way");
    }
  }

  /** The job's objective: train.objective, with train.mask-ratio for reconstruct. */
  public static Objective objective(JobConfig config) {
    return config.get(JobOptions.OBJECTIVE) == Objective.Kind.RECONSTRUCT
        ? Objective.reconstruct(config.get(JobOptions.MASK_RATIO)) : Objective.classify();
  }

  /** Micro-batches per rank per step, from train.global-batch or train.accumulation-steps. */
  public static int accumulation(JobConfig config) {
    int accumulation = config.get(JobOptions.ACCUMULATION);
    long global = config.get(JobOptions.GLOBAL_BATCH);
    if (global == 0) {
      return accumulation;
    }
    long perMicro = (long) config.get(JobOptions.WORLD_SIZE) * config.get(JobOptions.BATCH_SIZE);
    String made = "train.world-size " + config.get(JobOptions.WORLD_SIZE) + " x train.batch-size "
        + config.get(JobOptions.BATCH_SIZE);
    if (global % perMicro != 0) {
      throw new ConfigException(JobOptions.GLOBAL_BATCH.key(), global + " is not a multiple of "
          + made + " = " + perMicro + ": choose a global batch that whole micro-batches make up");
    }
    long derived = global / perMicro;
    if (accumulation != 1 && accumulation != derived) {
      throw new ConfigException(JobOptions.ACCUMULATION.key(), accumulation + " disagrees with"
          + " train.global-batch " + global + " = " + made + " x " + derived + ": set one of them");
    }
    return (int) derived;
  }

  /** Examples per step over all ranks. */
  public static long globalBatch(JobConfig config) {
    return (long) config.get(JobOptions.WORLD_SIZE) * config.get(JobOptions.BATCH_SIZE)
        * accumulation(config);
  }

  /** The optimizer, empty options taking the chosen optimizer's defaults. */
  public static OptimizerOptions optimizer(JobConfig config) {
    OptimizerKind kind = config.get(JobOptions.OPTIMIZER);
    double epsilon = config.get(JobOptions.EPSILON);
    double decay = config.get(JobOptions.WEIGHT_DECAY);
    return new OptimizerOptions(kind.optionName(), config.get(JobOptions.LEARNING_RATE),
        config.get(JobOptions.MOMENTUM), config.get(JobOptions.BETA1), config.get(JobOptions.BETA2),
        Double.isNaN(epsilon) ? kind.defaultEpsilon() : epsilon,
        Double.isNaN(decay) ? kind.defaultWeightDecay() : decay,
        config.get(JobOptions.TRUST_COEFFICIENT), config.get(JobOptions.EXCLUDE),
        config.get(JobOptions.CLIP_NORM));
  }

  /** The learning rate of every global step of a job of {@code stepsPerEpoch} steps per epoch. */
  public static LearningRateSchedule schedule(JobConfig config, int stepsPerEpoch) {
    long total = (long) config.get(JobOptions.EPOCHS) * stepsPerEpoch;
    long warmup = config.get(JobOptions.LR_WARMUP_STEPS);
    if (config.get(JobOptions.LR_WARMUP_EPOCHS) > 0) {
      warmup = Math.max(1, Math.round(config.get(JobOptions.LR_WARMUP_EPOCHS) * stepsPerEpoch));
    }
    return new LearningRateSchedule(config.get(JobOptions.LEARNING_RATE),
        config.get(JobOptions.LR_SCALE), config.get(JobOptions.LR_BASE_BATCH), globalBatch(config),
        warmup, config.get(JobOptions.LR_DECAY), config.get(JobOptions.LR_DECAY_POWER), total);
  }

  /** Whether DL4J computes in 16-bit floats. */
  public static boolean halfPrecision(JobConfig config) {
    return config.get(JobOptions.PRECISION).equals("fp16");
  }

  /**
   * The loss scale and the guard against non-finite gradients: dynamic for fp16, fixed at 1 for
   * fp32 (where only the skip applies).
   */
  public static LossScale.Options lossScale(JobConfig config) {
    int maxSkips = config.get(JobOptions.MAX_SKIPPED_STEPS);
    if (halfPrecision(config)) {
      return new LossScale.Options(true, config.get(JobOptions.LOSS_SCALE).floatValue(),
          config.get(JobOptions.LOSS_SCALE_WINDOW), maxSkips);
    }
    return LossScale.Options.fullPrecision(maxSkips);
  }

  /** The job's ZeRO options. */
  public static ZeroOptions zero(JobConfig config) {
    ZeroOptions defaults = ZeroOptions.ofStage(config.get(JobOptions.ZERO_STAGE));
    return new ZeroOptions(defaults.stage(), config.get(JobOptions.ZERO_ALIGN),
        Math.toIntExact(config.get(JobOptions.ZERO_BUCKET_BYTES) / Float.BYTES),
        config.get(JobOptions.ZERO_PREFETCH), config.get(JobOptions.ZERO_OVERLAP),
        config.get(JobOptions.ZERO_WIRE));
  }

  /** The job's offload options. */
  public static OffloadOptions offload(JobConfig config) {
    return new OffloadOptions(config.get(JobOptions.OFFLOAD_OPTIMIZER),
        config.get(JobOptions.OFFLOAD_PARAMS), config.get(JobOptions.OFFLOAD_NVME_PATH),
        config.get(JobOptions.OFFLOAD_BUFFER_COUNT), config.get(JobOptions.OFFLOAD_BUFFER_BYTES));
  }
}
