package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.data.LabeledExample;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

class ModelLayersTest {
  private final MultiLayerNetwork net = TinyModels.mlp(20);

  @Test
  void aLayerIsFoundByNameOrIndex() {
    assertThat(ModelLayers.index(net, "hidden", "m.zip")).isZero();
    assertThat(ModelLayers.index(net, "out", "m.zip")).isEqualTo(1);
    assertThat(ModelLayers.index(net, "1", "m.zip")).isEqualTo(1);
  }

  @Test
  void aMissingLayerNamesTheLayersThereAre() {
    assertThatThrownBy(() -> ModelLayers.index(net, "encoder", "m.zip"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pruning.embedding").hasMessageContaining("no layer 'encoder'")
        .hasMessageContaining("0 (hidden), 1 (out)");
    assertThatThrownBy(() -> ModelLayers.index(net, "2", "m.zip")).isInstanceOf(ConfigException.class);
  }

  @Test
  void aNetworkThatTakesOtherFeaturesIsRefused() {
    ModelLayers.checkInput(net, 20, "m.zip");
    assertThatThrownBy(() -> ModelLayers.checkInput(net, 784, "m.zip"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not take the training data's 784 features")
        .hasMessageContaining("takes 20");
  }

  @Test
  void activationsAreOneRowPerExampleOfTheLayersWidth() {
    List<LabeledExample> batch = List.of(new LabeledExample(1, 0, new float[20]),
        new LabeledExample(2, 1, new float[20]), new LabeledExample(3, 2, new float[20]));
    float[][] rows = ModelEmbedding.activations(net, 0, batch);
    assertThat(rows).hasNumberOfRows(3);
    assertThat(rows[0]).hasSize(TinyModels.HIDDEN_UNITS);
    assertThat(ModelEmbedding.activations(net, 1, batch)[2]).hasSize(10);
  }
}
