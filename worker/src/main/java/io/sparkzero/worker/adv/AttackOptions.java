package io.sparkzero.worker.adv;

/**
 * How {@link PgdAttack} perturbs a batch: projected gradient descent under an L∞ bound, as
 * ALGORITHMS.md section 3 states it from the ConAdv authors' code.
 *
 * @param steps PGD-k's k, {@code >= 1}
 * @param epsilon the L∞ bound in input units, in {@code (0, inputMax - inputMin]}
 * @param stepSize each step's move per feature, {@code > 0}
 * @param randomStart the probability, per batch, that the attack starts from the clean features
 *     plus uniform noise in {@code [-epsilon, epsilon]} rather than from the clean features
 * @param targeted true: each example steps toward a random wrong label, {@code x ← x − α·sign
 *     ∇x CE(f(x), y′)}; false: away from its own, {@code x ← x + α·sign ∇x CE(f(x), y)}
 * @param inputMin the smallest valid feature value
 * @param inputMax the largest valid feature value
 */
public record AttackOptions(int steps, float epsilon, float stepSize, double randomStart, boolean targeted,
    float inputMin, float inputMax) implements java.io.Serializable {

  /** Checks the ranges; the messages name what is allowed. */
  public AttackOptions {
    if (steps < 1) {
      throw new IllegalArgumentException("attack steps = " + steps + "; allowed: 1 or more");
    }
    if (!(inputMin < inputMax) || !Float.isFinite(inputMin) || !Float.isFinite(inputMax)) {
      throw new IllegalArgumentException("input range [" + inputMin + ", " + inputMax + "]; allowed: finite,"
          + " min < max");
    }
    if (!(epsilon > 0) || epsilon > inputMax - inputMin) {
      throw new IllegalArgumentException("epsilon = " + epsilon + "; allowed: (0, " + (inputMax - inputMin)
          + "], within the input range [" + inputMin + ", " + inputMax + "]");
    }
    if (!(stepSize > 0) || !Float.isFinite(stepSize)) {
      throw new IllegalArgumentException("attack step size = " + stepSize + "; allowed: a finite value > 0");
    }
    if (!(randomStart >= 0 && randomStart <= 1)) {
      throw new IllegalArgumentException("random-start probability = " + randomStart + "; allowed: [0, 1]");
    }
  }

  /** The step the authors' code takes: {@code max(ε, ε/k)}, which is ε for every k. */
  public static float defaultStepSize(float epsilon, int steps) {
    return Math.max(epsilon, epsilon / steps);
  }
}
