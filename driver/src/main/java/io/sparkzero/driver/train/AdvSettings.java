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
      boolean robust = config.get(JobOptions.EVAL_ROBUST_STEPS) > 0;
      for (OptionSpec<?> detail : JobOptions.ADV_DETAILS) {
        boolean inputRange = detail == JobOptions.ADV_INPUT_MIN || detail == JobOptions.ADV_INPUT_MAX;
        if (!(robust && inputRange) && !Objects.equals(config.get(detail), detail.defaultValue())) {
          throw new ConfigException(detail.key(), String.valueOf(config.get(detail)), "only with adv.mode conadv"
              + " or disadv (adv.mode is none): set adv.mode, or leave " + detail.key() + " out");
        }
      }
      return AdvOptions.NONE;
    }
    Bound bound = Bound.of(config, JobOptions.ADV_EPSILON);
    float min = bound.min();
    float max = bound.max();
    float epsilon = bound.epsilon();
    int steps = config.get(JobOptions.ADV_STEPS);
    double step = config.get(JobOptions.ADV_STEP_SIZE);
    float stepSize = step == 0 ? AttackOptions.defaultStepSize(epsilon, steps) : (float) step;
    AttackOptions attack = new AttackOptions(steps, epsilon, stepSize, config.get(JobOptions.ADV_RANDOM_START),
        config.get(JobOptions.ADV_TARGETED), min, max);
    if (config.get(JobOptions.OBJECTIVE) != io.sparkzero.worker.data.Objective.Kind.CLASSIFY) {
      throw new ConfigException(JobOptions.ADV_MODE.key(), mode.optionName(), "train.objective classify: the"
          + " attack moves inputs across the labels' decision boundaries");
    }
    return new AdvOptions(mode, config.get(JobOptions.ADV_TAU), attack,
        config.get(JobOptions.ADV_WEIGHT).floatValue(), config.get(JobOptions.ADV_SEPARATE_BN));
  }

  /**
   * The robust evaluation's attack ({@code eval.robust-*}), or null when none is asked for: PGD-k,
   * untargeted, from a random start, with Madry et al.'s step of 2.5 ε / k, clipped to the input
   * range.
   */
  static AttackOptions robustAttack(JobConfig config) {
    int steps = config.get(JobOptions.EVAL_ROBUST_STEPS);
    if (steps == 0) {
      return null;
    }
    Bound bound = Bound.of(config, JobOptions.EVAL_ROBUST_EPSILON);
    if (config.get(JobOptions.OBJECTIVE) != io.sparkzero.worker.data.Objective.Kind.CLASSIFY) {
      throw new ConfigException(JobOptions.EVAL_ROBUST_STEPS.key(), String.valueOf(steps), "0 unless"
          + " train.objective is classify: robust accuracy is a classifier's");
    }
    return new AttackOptions(steps, bound.epsilon(), 2.5f * bound.epsilon() / steps, 1.0, false, bound.min(),
        bound.max());
  }

  /**
   * Checks that the built {@code model} can be attacked: its input is continuous (no embedding
   * lookup of ids) and it gives gradients with respect to its input.
   */
  static void checkModel(JobConfig config, TrainableModel model) {
    AdvMode mode = config.get(JobOptions.ADV_MODE);
    int robustSteps = config.get(JobOptions.EVAL_ROBUST_STEPS);
    if (mode == AdvMode.NONE && robustSteps == 0) {
      return;
    }
    // The key to blame: the attack in training, else the one in evaluation.
    String key = mode != AdvMode.NONE ? JobOptions.ADV_MODE.key() : JobOptions.EVAL_ROBUST_STEPS.key();
    String value = mode != AdvMode.NONE ? mode.optionName() : String.valueOf(robustSteps);
    String name = config.get(JobOptions.MODEL);
    if (model instanceof io.sparkzero.worker.model.Dl4jModel dl4j && dl4j.takesIds()) {
      throw new ConfigException(key, value, "a model with continuous inputs:"
          + " model " + name + " looks its inputs up as ids (an embedding layer), which a gradient step cannot"
          + " perturb");
    }
    try {
      model.inputGradient(Nd4j.zeros(1, model.numFeatures()), Nd4j.zeros(1, model.numClasses()).putScalar(0, 1));
    } catch (UnsupportedOperationException e) {
      throw new ConfigException(key, value, "a model that gives gradients"
          + " with respect to its input: " + e.getMessage());
    }
  }

  /** An attack's input range and L∞ bound, checked: min below max, the bound within the range. */
  private record Bound(float min, float max, float epsilon) {
    static Bound of(JobConfig config, OptionSpec<Double> epsilonOption) {
      float min = config.get(JobOptions.ADV_INPUT_MIN).floatValue();
      float max = config.get(JobOptions.ADV_INPUT_MAX).floatValue();
      if (!(min < max)) {
        throw new ConfigException(JobOptions.ADV_INPUT_MAX.key(), String.valueOf(max), "a value above"
            + " adv.input-min (" + min + ")");
      }
      float epsilon = config.get(epsilonOption).floatValue();
      if (epsilon > max - min) {
        throw new ConfigException(epsilonOption.key(), String.valueOf(epsilon), "a bound within the input range ["
            + min + ", " + max + "]: at most " + (max - min));
      }
      return new Bound(min, max, epsilon);
    }
  }
}
