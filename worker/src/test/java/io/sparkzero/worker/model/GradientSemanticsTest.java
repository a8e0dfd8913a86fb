package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.sparkzero.worker.model.ParamTensor.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.NeuralNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Parity of {@link Dl4jModel#computeGradient} with DL4J's own training: what it leaves in the
 * gradient view must be exactly what DL4J's updater path would subtract, scaled to the batch mean.
 */
class GradientSemanticsTest {

  private static final double LEARNING_RATE = 0.1;
  private static final int STEPS = 3;
  private static final int BATCH_SIZE = 4;
  private static final double RELATIVE_TOLERANCE = 1e-5;

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "resnet", "lk-convnet"})
  void stepsOnTheGradientViewEqualDl4jFitWithSgd(String name) {
    Architecture architecture = ModelZoo.architecture(name);
    NeuralNetwork reference = architecture.create(11, new Sgd(LEARNING_RATE));
    // Built-in layers on both sides: this test is about the gradient's scaling, not the kernels
    // (OneDnnHelpersTest compares the oneDNN helpers with the built-in path).
    TrainableModel model = Dl4jModel.wrap(name, architecture.create(11, new NoOp()), false);
    assertThat(model.params().toFloatVector()).isEqualTo(reference.params().toFloatVector());

    Random random = new Random(11);
    for (int step = 0; step < STEPS; step++) {
      INDArray features = Batches.features(random, BATCH_SIZE, 784);
      INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);

      double loss = model.computeGradient(features, labels);
      applySgd(model, LEARNING_RATE);
      reference.fit(new DataSet(features, labels));

      assertThat(loss).isCloseTo(score(reference), withinPercentage(1e-3));
      INDArray expected = reference.params().reshape(model.numParams());
      assertClose(model.params(), expected, RELATIVE_TOLERANCE);
    }
  }

  @Test
  void gradientIsTheMeanOfPerExampleGradients() {
    TrainableModel model = ModelZoo.build("mlp", 2);
    Random random = new Random(2);
    INDArray features = Batches.features(random, 3, 784);
    INDArray labels = Batches.oneHot(random, 3, 10);

    model.computeGradient(features, labels);
    INDArray batchGradient = model.gradientView().dup();
    INDArray sum = batchGradient.like();
    for (int i = 0; i < 3; i++) {
      model.computeGradient(features.getRow(i, true), labels.getRow(i, true));
      sum.addi(model.gradientView());
    }

    assertClose(batchGradient, sum.divi(3), RELATIVE_TOLERANCE);
  }

  @Test
  void runningStatSlotsAreNotScaledByBatchSize() {
    // A running-stat slot is (1 - decay) * (running - batch statistic): it must not be divided by
    // the batch size. With all-equal examples the batch mean is that example's value, so the
    // mean slots of batch sizes 1 and 4 agree only if neither was scaled.
    TrainableModel model = ModelZoo.build("resnet", 4);
    INDArray one = Batches.features(new Random(4), 1, 784);
    INDArray label = Batches.oneHot(new Random(4), 1, 10);
    List<ParamTensor> means =
        model.tensors().stream()
            .filter(t -> t.kind() == Kind.RUNNING_STAT && t.name().endsWith("_mean"))
            .toList();

    model.computeGradient(one.repeat(0, 4), label.repeat(0, 4));
    List<INDArray> batchOfFour = slices(model.gradientView(), means);
    model.computeGradient(one, label);
    List<INDArray> batchOfOne = slices(model.gradientView(), means);

    assertThat(means).isNotEmpty();
    for (int i = 0; i < means.size(); i++) {
      assertThat(batchOfFour.get(i).norm2Number().doubleValue()).isPositive();
      // Loose tolerance: the two batch means sum different counts in float; scaling by the batch
      // size would be off by a factor of 4.
      assertClose(batchOfFour.get(i), batchOfOne.get(i), 1e-3);
    }
  }

  /** The update the training engine's plain SGD applies, as ParamTensor.Kind documents it. */
  private static void applySgd(TrainableModel model, double learningRate) {
    for (ParamTensor t : model.tensors()) {
      INDArray param = model.params().get(interval(t));
      INDArray grad = model.gradientView().get(interval(t));
      param.subi(t.kind() == Kind.RUNNING_STAT ? grad : grad.mul(learningRate));
    }
  }

  private static double score(NeuralNetwork net) {
    return ((Model) net).score();
  }

  private static List<INDArray> slices(INDArray flat, List<ParamTensor> tensors) {
    List<INDArray> out = new ArrayList<>();
    for (ParamTensor t : tensors) {
      out.add(flat.get(interval(t)).dup());
    }
    return out;
  }

  private static INDArrayIndex interval(ParamTensor t) {
    return NDArrayIndex.interval(t.offset(), t.offset() + t.length());
  }

  /** Element-wise |a - b| &lt;= tolerance * max(|b|, 1e-3): relative, with a floor near zero. */
  private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
    assertThat(actual.shape()).containsExactly(expected.shape());
    INDArray diff = actual.sub(expected);
    Transforms.abs(diff, false);
    INDArray scale = Transforms.max(Transforms.abs(expected, true), 1e-3);
    double worst = diff.divi(scale).maxNumber().doubleValue();
    assertThat(worst).isLessThanOrEqualTo(tolerance);
  }
}
