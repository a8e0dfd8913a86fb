package io.sparkzero.driver.train;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.worker.adv.AdvMode;
import io.sparkzero.worker.adv.AdvOptions;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.worker.model.TrainableModel;
import java.util.Objects;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A job's {@code adv.*} options as the ranks take them ({@link AdvOptions}), checked on the driver
 * before Spark starts: each check names the key, the value and what is allowed.
 */
final class AdvSettings {
  private AdvSettings() {}

  /** The options, or {@link AdvOptions#NONE}; checks what needs no model. */
  static AdvOptions of(JobConfig config) {
    AdvMode mode = config.get(JobOptions.ADV_MODE);
    if (mode == AdvMode.NONE) {
      for (OptionSpec<?> detail : JobOptions.ADV_DETAILS) {
        if (!Objects.equals(config.get(detail), detail.defaultValue())) {
          throw new ConfigException(detail.key(), String.valueOf(config.get(detail)), "only with adv.mode conadv"
              + " or disadv (adv.mode is none): set adv.mode, or leave " + detail.key() + " out");
        }
      }
      return AdvOptions.NONE;
    }
    float min = config.get(JobOptions.ADV_INPUT_MIN).floatValue();
    float max = config.get(JobOptions.ADV_INPUT_MAX).floatValue();
    if (!(min < max)) {
      throw new ConfigException(JobOptions.ADV_INPUT_MAX.key(), String.valueOf(max), "a value above adv.input-min ("
          + min + ")");
    }
    float epsilon = config.get(JobOptions.ADV_EPSILON).floatValue();
    if (epsilon > max - min) {
      throw new ConfigException(JobOptions.ADV_EPSILON.key(), String.valueOf(epsilon), "a bound within the input"
          + " range [" + min + ", " + max + "]: at most " + (max - min));
    }
    int steps = config.get(JobOptions.ADV_STEPS);
    double step = config.get(JobOptions.ADV_STEP_SIZE);
    float stepSize = step == 0 ? AttackOptions.defaultStepSize(epsilon, steps) : (float) step;
    AttackOptions attack = new AttackOptions(steps, epsilon, stepSize, config.get(JobOptions.ADV_RANDOM_START),
        config.get(JobOptions.ADV_TARGETED), min, max);
    if (config.get(JobOptions.OBJECTIVE) != io.sparkzero.worker.data.Objective.Kind.CLASSIFY) {
      throw new ConfigException(JobOptions.ADV_MODE.key(), mode.optionName(), "train.objective classify: the"
          + " attack moves inputs across the labels' decision boundaries");
    }
    return new AdvOptions(mode, config.get(JobOptions.ADV_TAU), attack, config.get(JobOptions.ADV_WEIGHT).floatValue());
  }

  /**
   * Checks that the built {@code model} can be attacked: its input is continuous (no embedding
   * lookup of ids) and it gives gradients with respect to its input.
   */
  static void checkModel(JobConfig config, TrainableModel model) {
    AdvMode mode = config.get(JobOptions.ADV_MODE);
    if (mode == AdvMode.NONE) {
      return;
    }
    String name = config.get(JobOptions.MODEL);
    if (model instanceof io.sparkzero.worker.model.Dl4jModel dl4j && dl4j.takesIds()) {
      throw new ConfigException(JobOptions.ADV_MODE.key(), mode.optionName(), "a model with continuous inputs:"
          + " model " + name + " looks its inputs up as ids (an embedding layer), which a gradient step cannot"
          + " perturb");
    }
    try {
      model.inputGradient(Nd4j.zeros(1, model.numFeatures()), Nd4j.zeros(1, model.numClasses()).putScalar(0, 1));
    } catch (UnsupportedOperationException e) {
      throw new ConfigException(JobOptions.ADV_MODE.key(), mode.optionName(), "a model that gives gradients"
          + " with respect to its input: " + e.getMessage());
    }
  }
}
