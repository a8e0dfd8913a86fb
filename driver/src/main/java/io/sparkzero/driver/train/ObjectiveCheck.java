package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.driver.options.TrainingSettings;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.data.MaskedPatches;
import io.sparkzero.worker.data.Objective;
import io.sparkzero.worker.model.TrainableModel;

/**
 * Whether the model's output fits the job's {@code train.objective}: one output per class of the
 * training data (classify), or one per input feature of a square image cut by whole patches
 * (reconstruct). Without it a mismatch surfaces as a shape error inside the first step on every
 * executor.
 */
final class ObjectiveCheck {
  private ObjectiveCheck() {}

  /**
   * Checks the built {@code model} against the objective and the data spec's classes, on the
   * driver before Spark starts.
   */
  static void check(JobConfig config, TrainableModel model) {
    Objective objective = TrainingSettings.objective(config);
    String name = config.get(JobOptions.MODEL);
    int outputs = model.numClasses();
    if (objective.reconstructs()) {
      if (outputs != model.numFeatures()) {
        throw mismatch("reconstruct rebuilds the input: model " + name + " has " + outputs
            + " outputs but takes " + model.numFeatures() + " features; use a model with one output"
            + " per feature (fmnist-encoder) or train.objective classify");
      }
      try {
        MaskedPatches.of(model.numFeatures(), objective.maskRatio(), 0, 0);
      } catch (IllegalArgumentException e) {
        throw mismatch("model " + name + ": " + e.getMessage());
      }
    } else {
      int classes = JobData.spec(config, JobOptions.DATA_TRAIN).numClasses();
      if (outputs != classes) {
        throw mismatch("classify needs one output per class: model " + name + " has " + outputs
            + " outputs, the training data " + classes + " classes; use a classifier, or"
            + " train.objective reconstruct for an encoder");
      }
    }
  }

  /** Reconstruct: the loaded data's {@code numFeatures} against the model's {@code outputs}. */
  static void checkData(JobConfig config, int outputs, int numFeatures) {
    if (TrainingSettings.objective(config).reconstructs() && outputs != numFeatures) {
      throw mismatch("reconstruct rebuilds the input: model " + config.get(JobOptions.MODEL)
          + " has " + outputs + " outputs but the training data has " + numFeatures + " features");
    }
  }

  private static ConfigException mismatch(String message) {
    return new ConfigException(JobOptions.OBJECTIVE.key(), message);
  }
}
