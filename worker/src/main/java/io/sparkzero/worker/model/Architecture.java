package io.sparkzero.worker.model;

import org.deeplearning4j.nn.api.NeuralNetwork;
import org.nd4j.linalg.learning.config.IUpdater;

/** Builds one zoo network. */
@FunctionalInterface
interface Architecture {

  /**
   * Builds and initializes the network.
   *
   * @param seed weight-initialization seed: the same seed gives the same parameters
   * @param updater DL4J updater in the configuration; the zoo passes {@code NoOp} because the
   *     training engine applies its own optimizer, tests pass {@code Sgd} to compare with
   *     {@code fit}
   */
  NeuralNetwork create(long seed, IUpdater updater);
}
