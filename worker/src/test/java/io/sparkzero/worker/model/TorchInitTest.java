package io.sparkzero.worker.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.NoOp;

class TorchInitTest {

  private static MultiLayerNetwork build(String name, long seed) {
    return (MultiLayerNetwork) ModelZoo.architecture(name).create(seed, new NoOp());
  }

  /** Weights and biases of each layer uniform in ±1/sqrt(fan in): bounded, with its spread. */
  @Test
  void fmnistCnnsLayersAreDrawnAsPyTorchDrawsThem() {
    MultiLayerNetwork net = build("fmnist-cnn:torch-init", 7);
    // conv 5x5 from 1 channel, conv 5x5 from 32, dense from 3136, dense from 512
    long[] fanIns = {25, 800, 3136, 512};
    int layer = 0;
    for (int i = 0; i < net.getnLayers(); i++) {
      INDArray w = net.getLayer(i).paramTable().get("W");
      if (w == null) {
        continue;
      }
      double bound = 1 / Math.sqrt(fanIns[layer++]);
      INDArray b = net.getLayer(i).paramTable().get("b");
      for (INDArray p : new INDArray[] {w, b}) {
        assertThat(p.amaxNumber().doubleValue()).isLessThanOrEqualTo(bound);
      }
      assertThat(w.stdNumber().doubleValue()).as("layer %d", i)
          .isCloseTo(bound / Math.sqrt(3), within(0.1 * bound));
      assertThat(b.amaxNumber().doubleValue()).as("biases drawn, not zero").isPositive();
    }
    assertThat(layer).isEqualTo(4);
    assertThat(build("fmnist-cnn", 7).getLayer(0).paramTable().get("b").amaxNumber()
        .doubleValue()).as("the default: zero biases").isZero();
  }

  @Test
  void theSameSeedDrawsTheSameParametersAndTheNameIsAZooName() {
    assertThat(build("mlp:torch-init", 3).params()).isEqualTo(build("mlp:torch-init", 3).params());
    assertThat(build("mlp:torch-init", 3).params()).isNotEqualTo(build("mlp:torch-init", 4).params());
    assertThat(ModelZoo.isKnown("fmnist-cnn:torch-init")).isTrue();
    assertThat(ModelZoo.isKnown("wide-mlp:512:torch-init")).isTrue();
    assertThat(ModelZoo.isKnown("nope:torch-init")).isFalse();
  }

  @Test
  void aGraphNetworkIsRefusedNamingWhatItAppliesTo() {
    assertThatThrownBy(() -> ModelZoo.build("resnet:torch-init", 1))
        .hasMessageContaining("plain layer stacks");
  }
}
