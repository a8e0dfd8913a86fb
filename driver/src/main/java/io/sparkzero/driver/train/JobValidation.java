package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.driver.prune.TrainPruning;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.model.ModelSpec;
import io.sparkzero.worker.model.ModelZoo;

/**
 * Checks that need more than one option's range: the model name and the data specs parse (with
 * labels),
 * parameter offload comes with ZeRO stage 3, the training settings agree ({@link
 * TrainingSettings#check}), the pruning options hold together ({@link TrainPruning#check}). Runs on the driver before the Spark session exists, so a typo never
 * costs a cluster start.
 */
public final class JobValidation {
  private JobValidation() {}

  /** Throws {@link ConfigException} naming the key, the value and what is allowed. */
  public static void check(JobConfig config) {
    String model = config.get(JobOptions.MODEL);
    if (!model.startsWith(ModelSpec.FILE_PREFIX) && !ModelZoo.isKnown(model)) {
      throw new ConfigException(JobOptions.MODEL.key(), model, String.join(" | ", ModelZoo.names())
          + " | wide-mlp:<hidden width> | file:<DL4J model file URI>");
    }
    OffloadPlan.Tier params = config.get(JobOptions.OFFLOAD_PARAMS);
    ZeroStage stage = config.get(JobOptions.ZERO_STAGE);
    if (params != OffloadPlan.Tier.NONE && !stage.shardsParameters()) {
      throw new ConfigException(JobOptions.OFFLOAD_PARAMS.key(), "offload.params "
          + params.optionName()
          + " needs zero.stage 3, where a rank owns a shard of the parameters (zero.stage is "
          + stage.number() + "): set zero.stage 3 or offload.params none");
    }
    TrainingSettings.check(config);
    AdvSettings.of(config);
    AdvSettings.robustAttack(config);
    requireLabels(config, JobOptions.DATA_TRAIN);
    if (!config.get(JobOptions.DATA_TEST).isEmpty()) {
      requireLabels(config, JobOptions.DATA_TEST);
    }
    requireStaticExecutors(config);
    requireOneGpuPerTask(config);
    requireStreamable(config);
  }

  /**
   * {@code data.mode stream} reads the whole of {@code data.train}'s files every epoch: a cut by
   * {@code data.limit}, which held data applies as it loads, is refused rather than ignored.
   */
  private static void requireStreamable(JobConfig config) {
    if (config.get(JobOptions.DATA_MODE).equals("stream") && config.get(JobOptions.DATA_LIMIT) > 0) {
      throw new ConfigException(JobOptions.DATA_LIMIT.key(), config.get(JobOptions.DATA_LIMIT)
          + " cuts data held in memory; with data.mode stream the ranks read data.train whole:"
          + " point data.train at a smaller data set, or set data.mode memory");
    }
  }

  /**
   * A rank computes on exactly one GPU: when the executors get GPUs, every task must ask for
   * exactly one, so Spark gives each rank its own (a fraction would share one GPU between ranks,
   * more than one would leave GPUs idle, none would leave them all idle).
   */
  private static void requireOneGpuPerTask(JobConfig config) {
    String taskKey = "spark.task.resource.gpu.amount";
    String executorKey = "spark.executor.resource.gpu.amount";
    String task = SparkSessions.setting(config, taskKey);
    String executor = SparkSessions.setting(config, executorKey);
    if (task == null && executor == null) {
      return;
    }
    if (task == null) {
      throw new ConfigException(executorKey, executorKey + "=" + executor.trim() + " gives the"
          + " executors GPUs but the tasks ask for none, so no rank would use one: set "
          + taskKey + "=1");
    }
    double amount;
    try {
      amount = Double.parseDouble(task.trim());
    } catch (NumberFormatException e) {
      amount = Double.NaN;
    }
    if (amount != 1.0) {
      throw new ConfigException(taskKey, "'" + task.trim() + "': each rank computes on exactly one"
          + " GPU of its own: set " + taskKey + "=1 (and " + executorKey + " to the GPUs of an"
          + " executor, one rank per GPU)");
    }
  }

  /**
   * Each epoch is a barrier stage, which needs all its ranks' executors at once and for its whole
   * length; Spark refuses one under dynamic allocation, but only once the data is loaded. Say so
   * first, whether spark-submit or the job's {@code spark-conf.} set it.
   */
  private static void requireStaticExecutors(JobConfig config) {
    String key = "spark.dynamicAllocation.enabled";
    String value = SparkSessions.setting(config, key);
    if (value != null && value.trim().equalsIgnoreCase("true")) {
      throw new ConfigException(key, "spark-zero runs each epoch as a barrier stage, which needs a"
          + " fixed set of executors: set " + key + "=false (and size the job with"
          + " spark.executor.instances or spark.cores.max)");
    }
  }

  /** Training and evaluation need a label per example; {@code labels=none} is for prune. */
  private static void requireLabels(JobConfig config, OptionSpec<String> option) {
    if (!JobData.spec(config, option).labeled()) {
      throw new ConfigException(option.key(), "'" + config.get(option) + "' has no labels (labels=none),"
          + " but training needs one per example: give the labels file (labels=<uri>); unlabelled data can"
          + " only be pruned (prune with pruning.metric ssp or random)");
    }
    TrainPruning.check(config);
  }
}
