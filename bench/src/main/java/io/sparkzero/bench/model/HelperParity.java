package io.sparkzero.bench.model;

import io.sparkzero.bench.BenchArgs;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.OneDnnHelpers;
import io.sparkzero.worker.model.ParamTensor;
import io.sparkzero.worker.model.TrainableModel;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Compares {@link TrainableModel#computeGradient} of a zoo model with and without the layer
 * helpers of {@link OneDnnHelpers}, on one random batch and equal seeds: same tensor layout, and
 * the largest difference per tensor relative to that tensor's largest gradient element.
 *
 * <p>Usage: {@code HelperParity MODEL BATCH [HELPERS]} (HELPERS as in {@link
 * ModelThroughputBenchmark}, default {@code all}).
 */
public final class HelperParity {

  private HelperParity() {}

  /** Runs the comparison with the command line the class comment describes. */
  public static void main(String[] argv) {
    HelperParityArgs args = BenchArgs.orExit(() -> HelperParityArgs.parse(argv));
    String modelName = args.model();
    int batchSize = args.batch();
    String helpers = args.helpers();
    System.setProperty(OneDnnHelpers.PROPERTY, "off"); // the helpers only where installed below
    TrainableModel builtin = ModelZoo.build(modelName, 5);
    TrainableModel forced = ModelZoo.build(modelName, 5);
    int layers = OneDnnHelpers.install(forced, ModelThroughputBenchmark.helperKinds(helpers));
    Random random = new Random(5);
    INDArray features = Nd4j.rand(DataType.FLOAT, batchSize, builtin.numFeatures());
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batchSize, builtin.numClasses());
    for (int i = 0; i < batchSize; i++) {
      labels.putScalar(i, random.nextInt(builtin.numClasses()), 1.0);
    }
    double lossA = builtin.computeGradient(features, labels);
    double lossB = forced.computeGradient(features, labels);
    System.out.printf("model=%s helpers=%s forcedLayers=%d oneDnnBuild=%s layoutEqual=%s"
            + " loss=%.8f/%.8f%n", modelName, helpers, layers, OneDnnHelpers.oneDnnBuild(),
        builtin.tensors().equals(forced.tensors()), lossA, lossB);
    float[] a = builtin.gradientView().toFloatVector();
    float[] b = forced.gradientView().toFloatVector();
    double worst = 0;
    for (ParamTensor t : builtin.tensors()) {
      double maxAbs = 0;
      double maxDiff = 0;
      for (long i = t.offset(); i < t.offset() + t.length(); i++) {
        maxAbs = Math.max(maxAbs, Math.abs(a[(int) i]));
        maxDiff = Math.max(maxDiff, Math.abs(a[(int) i] - b[(int) i]));
      }
      double rel = maxAbs == 0 ? maxDiff : maxDiff / maxAbs;
      worst = Math.max(worst, rel);
      System.out.printf("  %-22s %-12s len=%-8d max|g|=%.3e max|diff|=%.3e rel=%.3e%n",
          t.name(), t.kind(), t.length(), maxAbs, maxDiff, rel);
    }
    System.out.printf("RESULT model=%s helpers=%s max_rel_diff=%.3e%n", modelName, helpers, worst);
  }
}
