package io.sparkzero.driver.prune;

import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The model a training run has reached, as its pruning sees it: the job's architecture with the
 * parameters of the epoch just ended (or the initial ones before the first epoch).
 *
 * @param model the job's {@code model}
 * @param seed the job's {@code train.seed}: with the model, the architecture and initial values
 * @param params the full flat parameter vector; null: the initial parameters
 * @param epochsDone how many epochs produced {@code params}
 */
public record TrainingModel(String model, long seed, float[] params, int epochsDone) {

  /** The model as the bytes of a DL4J model file, which embeddings restore on the executors. */
  byte[] modelFile() {
    TrainableModel net = Models.create(model, seed);
    if (params != null) {
      FlatFloats.copyFrom(params, net.params());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      net.save(out);
    } catch (IOException e) {
      throw new UncheckedIOException("serializing the model being trained: " + e.getMessage(), e);
    }
    return out.toByteArray();
  }

  String describe() {
    return "the model being trained (" + model + " after " + epochsDone + " epoch(s))";
  }
}
