package io.sparkzero.worker.adv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.TrainableModel;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PGD on the zoo's small MLP ({@code mlp}, dense 784-64-10) after 30 plain gradient steps (rate 0.5) on a
 * learnable synthetic batch, so the model has a loss surface worth attacking. ε = 8/255 of [0, 1].
 */
class PgdAttackTest {
  private static final float EPS = 8f / 255;
  private static final int N = 64;
  private static TrainableModel model;
  private static INDArray features;
  private static INDArray labels;

  @BeforeAll
  static void trainABit() {
    model = ModelZoo.build("mlp", 3);
    Random random = new Random(7);
    float[] x = new float[N * 784];
    float[] y = new float[N * 10];
    for (int r = 0; r < N; r++) {
      int label = r % 10;
      y[r * 10 + label] = 1;
      for (int c = 0; c < 784; c++) {
        // Each class lights up its own band of pixels; some values sit on the range's edges.
        float v = (c / 78 == label ? 0.8f : 0.1f) + (float) random.nextGaussian() * 0.2f;
        x[r * 784 + c] = Math.min(1f, Math.max(0f, v));
      }
    }
    features = Nd4j.create(x, new long[] {N, 784}, 'c');
    labels = Nd4j.create(y, new long[] {N, 10}, 'c');
    for (int step = 0; step < 30; step++) {
      model.computeGradient(features, labels);
      model.params().subi(model.gradientView().mul(0.5));
    }
  }

  @Test
  void perturbationsStayWithinEpsilonAndTheValidRange() {
    for (boolean targeted : new boolean[] {false, true}) {
      PgdAttack attack = new PgdAttack(new AttackOptions(3, EPS, EPS / 2, 1.0, targeted, 0f, 1f));
      float[] clean = features.toFloatMatrix()[5];
      float[][] adv = attack.perturb(model, features, labels, 11).toFloatMatrix();
      for (int r = 0; r < N; r++) {
        float[] row = features.toFloatMatrix()[r];
        for (int c = 0; c < 784; c++) {
          assertThat(adv[r][c]).as("row %d feature %d", r, c).isBetween(0f, 1f);
          assertThat(Math.abs(adv[r][c] - row[c])).as("row %d feature %d", r, c).isLessThanOrEqualTo(EPS + 1e-7f);
        }
      }
      assertThat(adv[5]).isNotEqualTo(clean); // it did move
    }
  }

  @Test
  void anUntargetedAttackRaisesTheModelsLossOnItsBatch() {
    PgdAttack attack = new PgdAttack(new AttackOptions(1, EPS, EPS, 0.0, false, 0f, 1f));
    INDArray adv = attack.perturb(model, features, labels, 1);
    double clean = crossEntropy(model.output(features), labels);
    double attacked = crossEntropy(model.output(adv), labels);
    assertThat(attacked).as("loss %s on the clean batch", clean).isGreaterThan(clean * 1.05);
  }

  @Test
  void aTargetedAttackMovesTowardWrongLabels() {
    PgdAttack attack = new PgdAttack(new AttackOptions(2, EPS, EPS, 0.8, true, 0f, 1f));
    PgdAttack.Perturbed result = attack.attack(model, features, labels, 5);
    INDArray targets = result.attackLabels();
    for (int r = 0; r < N; r++) {
      assertThat(targets.getRow(r).argMax().getInt(0)).as("row %d's target", r)
          .isNotEqualTo(labels.getRow(r).argMax().getInt(0));
    }
    assertThat(crossEntropy(model.output(result.features()), targets))
        .isLessThan(crossEntropy(model.output(features), targets));
  }

  @Test
  void theSameSeedMakesTheSameBatchAnotherSeedAnother() {
    PgdAttack attack = new PgdAttack(new AttackOptions(2, EPS, EPS, 1.0, true, 0f, 1f));
    INDArray a = attack.perturb(model, features, labels, 42);
    assertThat(attack.perturb(model, features, labels, 42).toFloatMatrix()).isDeepEqualTo(a.toFloatMatrix());
    assertThat(attack.perturb(model, features, labels, 43).toFloatMatrix()).isNotEqualTo(a.toFloatMatrix());
  }

  @Test
  void theInputsAreLeftAsTheyWere() {
    float[][] before = features.toFloatMatrix();
    new PgdAttack(new AttackOptions(1, EPS, EPS, 1.0, false, 0f, 1f)).perturb(model, features, labels, 2);
    assertThat(features.toFloatMatrix()).isDeepEqualTo(before);
  }

  @Test
  void optionsOutsideTheirRangesAreRefusedWithWhatIsAllowed() {
    assertThatThrownBy(() -> new AttackOptions(0, EPS, EPS, 0.8, true, 0f, 1f)).hasMessageContaining("1 or more");
    assertThatThrownBy(() -> new AttackOptions(1, 1.5f, EPS, 0.8, true, 0f, 1f))
        .hasMessageContaining("epsilon = 1.5").hasMessageContaining("(0, 1.0]");
    assertThatThrownBy(() -> new AttackOptions(1, EPS, 0f, 0.8, true, 0f, 1f)).hasMessageContaining("> 0");
    assertThatThrownBy(() -> new AttackOptions(1, EPS, EPS, 1.2, true, 0f, 1f)).hasMessageContaining("[0, 1]");
    assertThatThrownBy(() -> new AttackOptions(1, EPS, EPS, 0.8, true, 1f, 0f)).hasMessageContaining("min < max");
    assertThat(AttackOptions.defaultStepSize(EPS, 4)).isEqualTo(EPS);
  }

  private static double crossEntropy(INDArray probabilities, INDArray oneHot) {
    float[][] p = probabilities.toFloatMatrix();
    float[][] y = oneHot.toFloatMatrix();
    double sum = 0;
    for (int r = 0; r < p.length; r++) {
      for (int c = 0; c < p[r].length; c++) {
        if (y[r][c] > 0) {
          sum -= Math.log(Math.max(p[r][c], 1e-12));
        }
      }
    }
    return sum / p.length;
  }
}
