package io.sparkzero.worker.adv;

import io.sparkzero.worker.model.TrainableModel;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PGD-k under an L∞ bound ({@link AttackOptions}): from the clean features (or, with the
 * random-start probability, from them plus uniform noise in [−ε, ε]), k signed-gradient steps,
 * each followed by clipping to {@code [x − ε, x + ε] ∩ [inputMin, inputMax]}.
 *
 * <p>Every random choice (whether this batch starts randomly, the noise, the wrong labels of a
 * targeted attack) is drawn from the seed passed in, in a fixed order, so an attack is a pure
 * function of (model parameters, batch, seed): a resumed run, or a run at another ZeRO stage,
 * makes the same adversarial batch. The model must be the attacker's own (see {@link
 * TrainableModel#floatCopy()}): its forward and backward passes run on the calling thread.
 */
public final class PgdAttack {
  private final AttackOptions options;

  public PgdAttack(AttackOptions options) {
    this.options = options;
  }

  public AttackOptions options() {
    return options;
  }

  /**
   * The adversarial copy of {@code features} against {@code model}'s current parameters.
   *
   * @param features {@code [batch, numFeatures]}, every value in the input range
   * @param labels one-hot {@code [batch, numClasses]}: the examples' true labels (a targeted
   *     attack draws its wrong labels from them)
   * @param seed the batch's seed
   * @return new features {@code [batch, numFeatures]} (fp32); the inputs are not changed
   */
  public INDArray perturb(TrainableModel model, INDArray features, INDArray labels, long seed) {
    return attack(model, features, labels, seed).features();
  }

  /** An attack's result: the adversarial features, and the labels the attack stepped on. */
  record Perturbed(INDArray features, INDArray attackLabels) {}

  /** {@link #perturb}, also telling which labels the attack used (a targeted one's wrong labels). */
  Perturbed attack(TrainableModel model, INDArray features, INDArray labels, long seed) {
    int n = (int) features.size(0);
    int d = (int) features.size(1);
    float[] clean = flat(features);
    float eps = options.epsilon();
    float lo = options.inputMin();
    float hi = options.inputMax();
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = clean.clone();
    if (random.nextDouble() < options.randomStart()) {
      for (int i = 0; i < x.length; i++) {
        x[i] = clip(clean[i] + (float) ((2 * random.nextDouble() - 1) * eps), clean[i], eps, lo, hi);
      }
    }
    INDArray attackLabels = options.targeted() ? wrongLabels(labels, random) : labels;
    float move = options.targeted() ? -options.stepSize() : options.stepSize();
    for (int step = 0; step < options.steps(); step++) {
      float[] gradient = flat(model.inputGradient(Nd4j.create(x, new long[] {n, d}, 'c'), attackLabels));
      for (int i = 0; i < x.length; i++) {
        x[i] = clip(x[i] + move * Math.signum(gradient[i]), clean[i], eps, lo, hi);
      }
    }
    return new Perturbed(Nd4j.create(x, new long[] {n, d}, 'c'), attackLabels);
  }

  /** {@code v} within {@code [clean − eps, clean + eps] ∩ [lo, hi]}. */
  private static float clip(float v, float clean, float eps, float lo, float hi) {
    return Math.min(Math.min(clean + eps, hi), Math.max(Math.max(clean - eps, lo), v));
  }

  /** One-hot labels of a uniformly drawn other class for each row of {@code labels}. */
  private static INDArray wrongLabels(INDArray labels, SplittableRandom random) {
    int n = (int) labels.size(0);
    int classes = (int) labels.size(1);
    if (classes < 2) {
      throw new IllegalArgumentException("a targeted attack needs at least 2 classes, the model has " + classes);
    }
    float[] truth = flat(labels);
    float[] wrong = new float[truth.length];
    for (int r = 0; r < n; r++) {
      int y = 0;
      for (int c = 1; c < classes; c++) {
        if (truth[r * classes + c] > truth[r * classes + y]) {
          y = c;
        }
      }
      wrong[r * classes + (y + 1 + random.nextInt(classes - 1)) % classes] = 1f;
    }
    return Nd4j.create(wrong, new long[] {n, classes}, 'c').castTo(labels.dataType());
  }

  private static float[] flat(INDArray array) {
    return Nd4j.toFlattened('c', array.castTo(DataType.FLOAT)).toFloatVector();
  }
}
