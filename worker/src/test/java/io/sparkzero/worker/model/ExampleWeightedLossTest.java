package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;

/**
 * A label row {@code w · onehot(y)} weighs example y w times, in the score and in the gradient;
 * rows of sum 1 are what the plain loss makes of them, bit for bit.
 */
class ExampleWeightedLossTest {
  private static final LossMCXENT CE = new LossMCXENT();
  private static final ActivationSoftmax SOFTMAX = new ActivationSoftmax();
  private final ExampleWeightedLoss weighted = new ExampleWeightedLoss(CE);
  private final INDArray preOutput = Nd4j.create(new float[][] {{0.3f, -1f, 2f}, {1f, 0.5f, -0.2f}});
  private final INDArray oneHot = Nd4j.create(new float[][] {{0, 0, 1}, {1, 0, 0}});

  @Test
  void rowsOfSumOneAreThePlainLoss() {
    assertThat(weighted.computeScoreArray(oneHot, preOutput.dup(), SOFTMAX, null).toFloatVector())
        .containsExactly(CE.computeScoreArray(oneHot, preOutput.dup(), SOFTMAX, null).toFloatVector());
    assertThat(weighted.computeGradient(oneHot, preOutput.dup(), SOFTMAX, null).toFloatMatrix())
        .isDeepEqualTo(CE.computeGradient(oneHot, preOutput.dup(), SOFTMAX, null).toFloatMatrix());
  }

  @Test
  void aRowSummingToWWeighsItsExampleWTimes() {
    INDArray labels = oneHot.dup();
    labels.getRow(1).muli(2.5); // the second example weighs 2.5
    float[] plain = CE.computeScoreArray(oneHot, preOutput.dup(), SOFTMAX, null).toFloatVector();
    float[] scores = weighted.computeScoreArray(labels, preOutput.dup(), SOFTMAX, null).toFloatVector();
    assertThat(scores[0]).isEqualTo(plain[0]);
    assertThat(scores[1]).isCloseTo(2.5f * plain[1], within(1e-6f));
    float[][] plainGradient = CE.computeGradient(oneHot, preOutput.dup(), SOFTMAX, null).toFloatMatrix();
    float[][] gradient = weighted.computeGradient(labels, preOutput.dup(), SOFTMAX, null).toFloatMatrix();
    for (int c = 0; c < 3; c++) {
      assertThat(gradient[0][c]).isEqualTo(plainGradient[0][c]);
      assertThat(gradient[1][c]).isCloseTo(2.5f * plainGradient[1][c], within(1e-6f));
    }
    assertThat(weighted.computeScore(labels, preOutput.dup(), SOFTMAX, null, true))
        .isCloseTo((plain[0] + 2.5 * plain[1]) / 2, within(1e-5));
  }
}
