package io.sparkzero.bench.model;

import io.sparkzero.worker.model.ModelZoo;
import io.sparkzero.worker.model.OneDnnHelpers;
import io.sparkzero.worker.model.TrainableModel;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Times {@link TrainableModel#inputGradient}, the attack's inner step (PGD, ConAdv, robust
 * evaluation), for a zoo model on one random batch: 3 calls to warm up, then CALLS timed; prints
 * the mean time per call and the process's resident memory after. Run it once with {@code
 * -Dsparkzero.onednn.helpers=off} for the graph without DL4J's oneDNN layer helpers.
 *
 * <p>Usage: {@code InputGradientTiming MODEL BATCH CALLS}.
 */
public final class InputGradientTiming {
  private InputGradientTiming() {}

  /** Runs the timing with the command line the class comment describes. */
  public static void main(String[] argv) {
    if (argv.length != 3) {
      System.err.println("usage: InputGradientTiming MODEL BATCH CALLS");
      System.exit(2);
    }
    String model = argv[0];
    int batch = Integer.parseInt(argv[1]);
    int calls = Integer.parseInt(argv[2]);
    TrainableModel net = ModelZoo.build(model, 5);
    INDArray features = Nd4j.rand(DataType.FLOAT, batch, net.numFeatures());
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, net.numClasses());
    for (int r = 0; r < batch; r++) {
      labels.putScalar(r, r % net.numClasses(), 1);
    }
    for (int i = 0; i < 3; i++) {
      net.inputGradient(features, labels);
    }
    long start = System.nanoTime();
    for (int i = 0; i < calls; i++) {
      net.inputGradient(features, labels);
    }
    System.out.printf("{\"model\": \"%s\", \"batch\": %d, \"helpers\": \"%s\", \"ms_per_call\": %.1f,"
            + " \"rss_mb\": %d}%n", model, batch,
        System.getProperty(OneDnnHelpers.PROPERTY, "auto"),
        (System.nanoTime() - start) / 1e6 / calls, Pointer.physicalBytes() >> 20);
  }
}
