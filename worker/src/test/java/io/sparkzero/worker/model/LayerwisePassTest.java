package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.worker.model.ParamTensor.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parity of {@link LayerwisePass} with {@link Dl4jModel#computeGradient} on a second model built
 * with the same seed. Tolerance: none. The pass calls the same DL4J layer and vertex methods in the
 * same order on the same values, so gradients and losses must be bit-identical; only the memory
 * they live in differs.
 */
class LayerwisePassTest {

  private static final int BATCH_SIZE = 8;
  private static final int STEPS = 2;
  private static final double LEARNING_RATE = 0.1;

  static List<String> models() {
    return List.of("mlp", "fmnist-cnn", "resnet", "lk-convnet");
  }

  @ParameterizedTest
  @MethodSource("models")
  void gradientInUnitBuffersIsDl4jModelsGradientBitForBit(String name) {
    TrainableModel reference = ModelZoo.build(name, 5);
    TrainableModel model = ModelZoo.build(name, 5);
    LayerwisePass pass = LayerwisePass.of(model);
    INDArray params = reference.params().dup();
    List<INDArray> paramBuffers = new ArrayList<>();
    List<INDArray> gradientBuffers = new ArrayList<>();
    for (int k = 0; k < pass.unitCount(); k++) {
      paramBuffers.add(slice(params, pass.unit(k)).dup());
      gradientBuffers.add(nans(pass.unit(k).length())); // proves every slot is overwritten
      pass.bindParams(k, paramBuffers.get(k));
      pass.bindGradients(k, gradientBuffers.get(k));
    }

    Random random = new Random(5);
    for (int step = 0; step < STEPS; step++) {
      INDArray features = Batches.features(random, BATCH_SIZE, 784);
      INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);

      double expectedLoss = reference.computeGradient(features, labels);
      double loss = pass.computeGradient(features, labels, LayerHooks.NONE);

      assertThat(loss).isEqualTo(expectedLoss);
      INDArray gradient = Nd4j.concat(0, gradientBuffers.toArray(INDArray[]::new));
      assertBitIdentical(gradient, reference.gradientView(), reference.tensors());
      assertRunningStatsMatch(gradient, reference.gradientView(), reference.tensors());
      // Next step from new parameters and running statistics, the same on both sides.
      applySgd(reference.params(), reference.gradientView(), reference.tensors());
      applySgd(params, gradient, reference.tensors());
      for (int k = 0; k < pass.unitCount(); k++) {
        paramBuffers.get(k).assign(slice(params, pass.unit(k)));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("models")
  void layersReadOnlyTheBuffersBoundWhileTheyRun(String name) {
    TrainableModel reference = ModelZoo.build(name, 6);
    TrainableModel model = ModelZoo.build(name, 6);
    LayerwisePass pass = LayerwisePass.of(model);
    INDArray params = reference.params().dup();
    INDArray gradient = nans(model.numParams());
    for (int k = 0; k < pass.unitCount(); k++) {
      pass.releaseParams(k);
      pass.releaseGradients(k);
    }
    // Fresh copies bound only while a unit runs; NaN or the (NaN) parking buffer otherwise, so a
    // read outside the window would show up in the gradient or the loss.
    LayerHooks gatherAndRelease =
        new LayerHooks() {
          private final INDArray[] gradientBuffers = new INDArray[pass.unitCount()];

          @Override
          public void beforeForward(int unit) {
            pass.bindParams(unit, slice(params, pass.unit(unit)).dup());
          }

          @Override
          public void afterForward(int unit) {
            pass.bindParams(unit, nans(pass.unit(unit).length()));
          }

          @Override
          public void beforeBackward(int unit) {
            pass.bindParams(unit, slice(params, pass.unit(unit)).dup());
            gradientBuffers[unit] = nans(pass.unit(unit).length());
            pass.bindGradients(unit, gradientBuffers[unit]);
          }

          @Override
          public void afterBackward(int unit) {
            slice(gradient, pass.unit(unit)).assign(gradientBuffers[unit]);
            pass.releaseParams(unit);
            pass.releaseGradients(unit);
          }
        };
    Random random = new Random(6);
    INDArray features = Batches.features(random, BATCH_SIZE, 784);
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);

    double loss = pass.computeGradient(features, labels, gatherAndRelease);

    assertThat(loss).isEqualTo(reference.computeGradient(features, labels));
    assertBitIdentical(gradient, reference.gradientView(), reference.tensors());
    assertRunningStatsMatch(gradient, reference.gradientView(), reference.tensors());
  }

  @ParameterizedTest
  @MethodSource("models")
  void hooksRunForwardAscendingThenBackwardDescendingOnFinalGradients(String name) {
    TrainableModel model = ModelZoo.build(name, 7);
    model.gradientView(); // allocated first, so the pass starts bound to it
    LayerwisePass pass = LayerwisePass.of(model);
    List<String> events = new ArrayList<>();
    float[][] seenByAfterBackward = new float[pass.unitCount()][];
    LayerHooks recorder =
        new LayerHooks() {
          @Override
          public void beforeForward(int unit) {
            events.add("beforeForward " + unit);
          }

          @Override
          public void afterForward(int unit) {
            events.add("afterForward " + unit);
          }

          @Override
          public void beforeBackward(int unit) {
            events.add("beforeBackward " + unit);
          }

          @Override
          public void afterBackward(int unit) {
            events.add("afterBackward " + unit);
            seenByAfterBackward[unit] =
                slice(model.gradientView(), pass.unit(unit)).toFloatVector();
          }
        };
    Random random = new Random(7);

    pass.computeGradient(
        Batches.features(random, BATCH_SIZE, 784),
        Batches.oneHot(random, BATCH_SIZE, 10),
        recorder);

    List<String> expected = new ArrayList<>();
    for (int k = 0; k < pass.unitCount(); k++) {
      expected.add("beforeForward " + k);
      expected.add("afterForward " + k);
    }
    for (int k = pass.unitCount() - 1; k >= 0; k--) {
      expected.add("beforeBackward " + k);
      expected.add("afterBackward " + k);
    }
    assertThat(events).containsExactlyElementsOf(expected);
    for (int k = 0; k < pass.unitCount(); k++) {
      assertThat(seenByAfterBackward[k])
          .as("unit %d after its afterBackward", k)
          .isEqualTo(slice(model.gradientView(), pass.unit(k)).toFloatVector());
    }
  }

  /**
   * After its first passes a pass keeps its arrays in its workspaces, which it resets per pass: the
   * hooks run inside the pass's activation workspace, and further passes leave almost no native
   * bytes behind (JavaCPP's count of live allocations). The graph driver once ran without
   * workspaces, and a {@code resnet} rank grew to 16.8 GB before collections freed its arrays;
   * whether a collection runs during this short test varies, so the workspace check is the one
   * that catches that (it failed for both graph models), the byte count the one that bounds what
   * is left.
   */
  @ParameterizedTest
  @MethodSource("models")
  void passesAfterTheFirstKeepTheirArraysInWorkspaces(String name) {
    TrainableModel model = ModelZoo.build(name, 3);
    model.gradientView();
    LayerwisePass pass = LayerwisePass.of(model);
    List<String> outside = new ArrayList<>();
    LayerHooks inWorkspace = new LayerHooks() {
      @Override
      public void afterForward(int unit) {
        if (Nd4j.getMemoryManager().getCurrentWorkspace() == null) {
          outside.add("unit " + unit);
        }
      }
    };
    Random random = new Random(3);
    INDArray features = Batches.features(random, BATCH_SIZE, 784);
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);
    for (int warmUp = 0; warmUp < 3; warmUp++) {
      pass.computeGradient(features, labels, LayerHooks.NONE);
    }
    long before = Pointer.totalBytes();
    for (int i = 0; i < 5; i++) {
      pass.computeGradient(features, labels, inWorkspace);
    }
    // What is left is bookkeeping (shape descriptors, op contexts): 19-38 KB measured
    assertThat(Pointer.totalBytes() - before).as("native bytes left behind by 5 passes")
        .isLessThan(256 * 1024);
    assertThat(outside).as("forward hooks run outside any workspace").isEmpty();
  }

  @ParameterizedTest
  @MethodSource("models")
  void unitsAreTheParameterizedLayersTilingTheFlatVector(String name) {
    TrainableModel model = ModelZoo.build(name, 8);
    LayerwisePass pass = LayerwisePass.of(model);

    long next = 0;
    for (LayerUnit unit : pass.units()) {
      assertThat(unit.from()).isEqualTo(next);
      assertThat(unit.length()).isPositive();
      next = unit.to();
    }
    assertThat(next).isEqualTo(model.numParams());
    for (ParamTensor t : model.tensors()) {
      LayerUnit owner = unitAt(pass, t.offset());
      assertThat(t.name()).startsWith(owner.name() + "_");
      assertThat(t.offset() + t.length()).isLessThanOrEqualTo(owner.to());
    }
  }

  @Test
  void unitsAreNamedLikeTheTensorsAndSkipLayersWithoutParameters() {
    assertThat(LayerwisePass.of(ModelZoo.build("mlp", 1)).units())
        .containsExactly(new LayerUnit("0", 0, 50_240), new LayerUnit("1", 50_240, 50_890));
    assertThat(LayerwisePass.of(ModelZoo.build("fmnist-cnn", 1)).units())
        .extracting(LayerUnit::name)
        .containsExactly("0", "2", "4", "5");
    List<String> resnet =
        LayerwisePass.of(ModelZoo.build("resnet", 1)).units().stream()
            .map(LayerUnit::name)
            .toList();
    assertThat(resnet).contains("stem", "stem_bn", "block2_proj", "block2_proj_bn", "out");
    assertThat(resnet).doesNotContain("in", "stem_relu", "block1_add", "pool");
  }

  @Test
  void modelBuffersAreBoundUntilRebindingAndAfterRestore() {
    TrainableModel reference = ModelZoo.build("resnet", 9);
    TrainableModel model = ModelZoo.build("resnet", 9);
    model.gradientView(); // allocated first, so the pass starts bound to it
    LayerwisePass pass = LayerwisePass.of(model);
    Random random = new Random(9);
    INDArray features = Batches.features(random, BATCH_SIZE, 784);
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);
    double expectedLoss = reference.computeGradient(features, labels);

    assertThat(pass.computeGradient(features, labels, LayerHooks.NONE)).isEqualTo(expectedLoss);
    assertBitIdentical(model.gradientView(), reference.gradientView(), reference.tensors());

    pass.bindParams(0, nans(pass.unit(0).length()));
    pass.restoreModelBuffers();
    assertThat(model.computeGradient(features, labels)).isEqualTo(expectedLoss);
    assertBitIdentical(model.gradientView(), reference.gradientView(), reference.tensors());
  }

  @Test
  void runningAReleasedUnitNamesTheUnitAndTheHookToBindIn() {
    LayerwisePass pass = LayerwisePass.of(ModelZoo.build("mlp", 10));
    Random random = new Random(10);
    INDArray features = Batches.features(random, BATCH_SIZE, 784);
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);

    pass.releaseParams(1);
    assertThatThrownBy(() -> pass.computeGradient(features, labels, LayerHooks.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unit 1 (1)")
        .hasMessageContaining("parameters")
        .hasMessageContaining("LayerHooks.beforeForward");

    pass.restoreModelBuffers();
    pass.releaseGradients(0);
    assertThatThrownBy(() -> pass.computeGradient(features, labels, LayerHooks.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unit 0 (0)")
        .hasMessageContaining("gradient buffer")
        .hasMessageContaining("LayerHooks.beforeBackward");
  }

  /**
   * A model whose gradient was never allocated gives the pass no gradient buffers: a backward
   * without one bound names the unit and the hook, rather than failing inside DL4J.
   */
  @Test
  void aBackwardWithoutAnyGradientBufferNamesTheUnitAndTheHook() {
    LayerwisePass pass = LayerwisePass.of(ModelZoo.build("mlp", 11));
    Random random = new Random(11);
    INDArray features = Batches.features(random, BATCH_SIZE, 784);
    INDArray labels = Batches.oneHot(random, BATCH_SIZE, 10);
    assertThatThrownBy(() -> pass.computeGradient(features, labels, LayerHooks.NONE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unit 1 (1)")
        .hasMessageContaining("gradient buffer")
        .hasMessageContaining("LayerHooks.beforeBackward");
  }

  @Test
  void aSecondPassOverAReboundModelIsRefused() {
    TrainableModel model = ModelZoo.build("mlp", 12);
    LayerwisePass pass = LayerwisePass.of(model);
    pass.bindParams(1, nans(pass.unit(1).length()));

    assertThatThrownBy(() -> LayerwisePass.of(model))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("layer 1")
        .hasMessageContaining("one per model");
  }

  @Test
  void bindRejectsBuffersOfTheWrongLengthShapeTypeOrStride() {
    LayerwisePass pass = LayerwisePass.of(ModelZoo.build("mlp", 11));
    List<INDArray> wrong =
        List.of(
            Nd4j.create(DataType.FLOAT, 649),
            Nd4j.create(DataType.FLOAT, 1, 650),
            Nd4j.create(DataType.DOUBLE, 650),
            Nd4j.create(DataType.FLOAT, 1300).get(NDArrayIndex.interval(0, 2, 1300)));
    for (INDArray buffer : wrong) {
      assertThatThrownBy(() -> pass.bindParams(1, buffer))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unit 1 (1)")
          .hasMessageContaining("650");
      assertThatThrownBy(() -> pass.bindGradients(1, buffer))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static INDArray slice(INDArray flat, LayerUnit unit) {
    return flat.get(NDArrayIndex.interval(unit.from(), unit.to()));
  }

  private static INDArray nans(long length) {
    return Nd4j.valueArrayOf(new long[] {length}, Float.NaN, DataType.FLOAT);
  }

  private static LayerUnit unitAt(LayerwisePass pass, long offset) {
    return pass.units().stream()
        .filter(u -> u.from() <= offset && offset < u.to())
        .findFirst()
        .orElseThrow();
  }

  /** The engine's plain SGD, as ParamTensor.Kind documents it (running stats: minus the change). */
  private static void applySgd(INDArray params, INDArray gradient, List<ParamTensor> tensors) {
    for (ParamTensor t : tensors) {
      INDArray grad = gradient.get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()));
      params
          .get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()))
          .subi(t.kind() == Kind.RUNNING_STAT ? grad : grad.mul(LEARNING_RATE));
    }
  }

  /** Batch-norm mean and log10-std slots: present, non-zero, and equal (named for failures). */
  private static void assertRunningStatsMatch(
      INDArray actual, INDArray expected, List<ParamTensor> tensors) {
    for (ParamTensor t : tensors) {
      if (t.kind() == Kind.RUNNING_STAT) {
        INDArray want = expected.get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()));
        INDArray got = actual.get(NDArrayIndex.interval(t.offset(), t.offset() + t.length()));
        assertThat(want.norm2Number().doubleValue()).as(t.name()).isPositive();
        assertThat(got.toFloatVector()).as(t.name()).isEqualTo(want.toFloatVector());
      }
    }
  }

  /** Every element equal bit for bit; on failure names the first tensor that differs. */
  private static void assertBitIdentical(
      INDArray actual, INDArray expected, List<ParamTensor> tensors) {
    float[] a = actual.toFloatVector();
    float[] e = expected.toFloatVector();
    assertThat(a).hasSameSizeAs(e);
    int differing = 0;
    int first = -1;
    for (int i = 0; i < a.length; i++) {
      if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(e[i])) {
        differing++;
        first = first < 0 ? i : first;
      }
    }
    if (differing > 0) {
      long at = first;
      String tensor =
          tensors.stream()
              .filter(t -> t.offset() <= at && at < t.offset() + t.length())
              .map(ParamTensor::name)
              .findFirst()
              .orElse("?");
      double relativeL2 =
          actual.sub(expected).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
      assertThat(differing)
          .as(
              "elements differing from DL4J's gradient, first at %d in %s (%s vs %s), relative L2"
                  + " %s",
              first, tensor, a[first], e[first], relativeL2)
          .isZero();
    }
  }
}
