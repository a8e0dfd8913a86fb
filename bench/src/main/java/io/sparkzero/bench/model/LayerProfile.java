package io.sparkzero.bench.model;

import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchJson;
import io.sparkzero.worker.model.LayerwisePass;
import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.OneDnnHelpers;
import io.sparkzero.worker.model.TrainableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times a zoo model's training pass layer by layer: each layer's forward and backward, from a
 * {@link LayerwisePass} whose {@link LayerClock} hooks note the time around every layer with
 * parameters (layers without, such as pooling, are timed in the gaps between: see {@link
 * LayerRow}). The model's own {@link TrainableModel#computeGradient} (DL4J's full pass) is timed
 * alternately with it, so the per-layer sum can be held against it. {@code
 * deploy/bench/layer-profile.sh} sets the same against PyTorch.
 *
 * <p>Usage: {@code LayerProfile [BATCH] [PASSES] [HELPERS] [--model NAME] [--warmup N] [--threads
 * N]} (defaults 128, 20, {@code default}, {@code fmnist-cnn}, 5, 1). {@code HELPERS} chooses the
 * oneDNN layer helpers as for {@link ModelThroughputBenchmark}. Prints one JSON line: per layer
 * the median forward and backward milliseconds over the timed passes, the median of the whole
 * layer-by-layer pass and of the full pass, and each's last loss (they agree). Run with {@code
 * OMP_NUM_THREADS} equal to {@code --threads}: ND4J reads it when the native library loads.
 *
 * <p>DL4J's output layer does no work in its forward: it computes its pre-activations inside its
 * backward (twice: for the gradient and for the score), so its forward is near 0 and its
 * backward holds the whole output layer. Every unit's backward also holds the scaling of its
 * gradient to the batch mean, as the full pass does.
 */
public final class LayerProfile {
  private static final long SEED = 1;

  private LayerProfile() {}

  /** Runs the profile with the command line the class comment describes. */
  public static void main(String[] argv) {
    LayerProfileArgs args = BenchArgs.orExit(() -> LayerProfileArgs.parse(argv));
    Nd4j.getEnvironment().setMaxThreads(args.threads());
    Nd4j.getEnvironment().setMaxMasterThreads(args.threads());
    boolean helpersByDefault = OneDnnHelpers.enabled(); // what ModelZoo.build would decide
    System.setProperty(OneDnnHelpers.PROPERTY, "off"); // install below, counting them
    TrainableModel model = ModelZoo.build(args.model(), SEED);
    int helperLayers = OneDnnHelpers.install(model, helperKinds(args.helpers(), helpersByDefault));
    // The pass binds each unit to views of the model's gradient only if the model has allocated
    // it; otherwise its units have no gradient buffer and would need bindGradients per unit.
    // Allocated first, both passes share the model's own buffers, so neither needs rebinding.
    model.gradientView();
    LayerwisePass pass = LayerwisePass.of(model);
    List<LayerRow> rows = BenchArgs.orExit(() -> rows(pass, model));
    INDArray features = Nd4j.rand(DataType.FLOAT, args.batch(), model.numFeatures());
    INDArray labels = randomOneHot(args.batch(), model.numClasses());

    LayerClock clock = new LayerClock(pass.unitCount());
    for (int i = 0; i < args.warmupPasses(); i++) {
      pass.computeGradient(features, labels, clock);
      model.computeGradient(features, labels);
    }
    double[][] forwardMs = new double[rows.size()][args.passes()];
    double[][] backwardMs = new double[rows.size()][args.passes()];
    double[] layerwiseMs = new double[args.passes()];
    double[] fullMs = new double[args.passes()];
    double layerwiseLoss = Double.NaN;
    double fullLoss = Double.NaN;
    for (int p = 0; p < args.passes(); p++) { // alternate, so both see the same machine load
      long startNs = System.nanoTime();
      layerwiseLoss = pass.computeGradient(features, labels, clock);
      layerwiseMs[p] = (System.nanoTime() - startNs) / 1e6;
      for (int r = 0; r < rows.size(); r++) {
        forwardMs[r][p] = rows.get(r).forwardNs(clock) / 1e6;
        backwardMs[r][p] = rows.get(r).backwardNs(clock) / 1e6;
      }
      startNs = System.nanoTime();
      fullLoss = model.computeGradient(features, labels);
      fullMs[p] = (System.nanoTime() - startNs) / 1e6;
    }
    System.out.println("{\"side\": \"dl4j\", \"model\": " + BenchJson.quote(args.model())
        + ", \"batch\": " + args.batch() + ", \"passes\": " + args.passes()
        + ", \"warmup_passes\": " + args.warmupPasses() + ", \"threads\": " + args.threads()
        + ", \"helpers\": " + BenchJson.quote(args.helpers())
        + ", \"helper_layers\": " + helperLayers
        + ", \"onednn_build\": " + OneDnnHelpers.oneDnnBuild()
        + ", \"layers\": [" + layersJson(rows, forwardMs, backwardMs) + "]"
        + ", \"layerwise_pass_ms\": " + BenchJson.format(BenchJson.median(layerwiseMs))
        + ", \"full_pass_ms\": " + BenchJson.format(BenchJson.median(fullMs))
        + ", \"layerwise_loss\": " + layerwiseLoss
        + ", \"full_loss\": " + fullLoss + "}");
  }

  /** The profile's rows; refuses, as a bad argument, a model that is not one chain of layers. */
  private static List<LayerRow> rows(LayerwisePass pass, TrainableModel model) {
    try {
      return LayerRow.of(pass.units(), LayerNames.of(model));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the layers of model " + model.name(), e);
    }
  }

  /**
   * The helpers to put on the model: for {@code default}, all of them where {@link
   * OneDnnHelpers#enabled()} was true, as {@link ModelZoo#build} would; otherwise the spec's.
   */
  private static Set<OneDnnHelpers.Kind> helperKinds(String spec, boolean helpersByDefault) {
    if (spec.equals("default")) {
      return helpersByDefault ? OneDnnHelpers.all() : EnumSet.noneOf(OneDnnHelpers.Kind.class);
    }
    return ModelThroughputBenchmark.helperKinds(spec);
  }

  private static INDArray randomOneHot(int batch, int classes) {
    Random random = new Random(SEED);
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, classes);
    for (int i = 0; i < batch; i++) {
      labels.putScalar(i, random.nextInt(classes), 1.0);
    }
    return labels;
  }

  /** {@code {"layer": "conv1", "forward_ms": 1.234, "backward_ms": 2.345}, ...}, medians. */
  private static String layersJson(
      List<LayerRow> rows, double[][] forwardMs, double[][] backwardMs) {
    StringBuilder json = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      json.append(r == 0 ? "" : ", ")
          .append("{\"layer\": ").append(BenchJson.quote(rows.get(r).name()))
          .append(", \"forward_ms\": ").append(BenchJson.format(BenchJson.median(forwardMs[r])))
          .append(", \"backward_ms\": ").append(BenchJson.format(BenchJson.median(backwardMs[r])))
          .append('}');
    }
    return json.toString();
  }
}
