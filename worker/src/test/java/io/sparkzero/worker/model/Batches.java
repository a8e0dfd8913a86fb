package io.sparkzero.worker.model;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Deterministic random Fashion-MNIST-shaped batches for tests. */
final class Batches {

  private Batches() {}

  /** Pixel-like features in [0, 1), {@code [batchSize, numFeatures]}. */
  static INDArray features(Random random, int batchSize, int numFeatures) {
    float[] values = new float[batchSize * numFeatures];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    return Nd4j.createFromArray(values).reshape(batchSize, numFeatures);
  }

  /** One-hot labels {@code [batchSize, numClasses]}. */
  static INDArray oneHot(Random random, int batchSize, int numClasses) {
    INDArray labels = Nd4j.zeros(DataType.FLOAT, batchSize, numClasses);
    for (int i = 0; i < batchSize; i++) {
      labels.putScalar(i, random.nextInt(numClasses), 1.0);
    }
    return labels;
  }
}
