package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.adv.AdvMode;
import io.sparkzero.worker.adv.AdvOptions;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.worker.model.Dl4jModel;
import io.sparkzero.worker.model.ModelZoo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The {@code adv.*} options as checked before Spark starts: each bad value gets the key and what is allowed. */
class AdvSettingsTest {

  private static JobConfig config(Object... keyValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put((String) keyValues[i], keyValues[i + 1]);
    }
    return JobConfig.of(raw);
  }

  @Test
  void theDefaultsAreTheAuthorsAttack() {
    assertThat(AdvSettings.of(config())).isEqualTo(AdvOptions.NONE);
    AdvOptions conadv = AdvSettings.of(config("adv.mode", "conadv"));
    assertThat(conadv.mode()).isEqualTo(AdvMode.CONADV);
    assertThat(conadv.tau()).isEqualTo(1);
    assertThat(conadv.attack().steps()).isEqualTo(1);
    assertThat(conadv.attack().epsilon()).isEqualTo(8f / 255);
    assertThat(conadv.attack().stepSize()).isEqualTo(8f / 255); // max(eps, eps / k)
    assertThat(conadv.attack().randomStart()).isEqualTo(0.8);
    assertThat(conadv.attack().targeted()).isTrue();
    assertThat(AdvSettings.of(config("adv.mode", "disadv", "adv.steps", 3, "adv.step-size", 0.01)).attack().stepSize())
        .isEqualTo(0.01f);
  }

  @Test
  void badValuesAreRefusedWithTheKeyAndWhatIsAllowed() {
    assertThatThrownBy(() -> AdvSettings.of(config("adv.mode", "conadv", "adv.epsilon", 1.5)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.epsilon'")
        .hasMessageContaining("within the input range [0.0, 1.0]: at most 1.0");
    assertThatThrownBy(() -> config("adv.mode", "conadv", "adv.steps", 0))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.steps'").hasMessageContaining("[1, 1000]");
    assertThatThrownBy(() -> config("adv.mode", "conadv", "adv.tau", -1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.tau'").hasMessageContaining("[0, 1000]");
    assertThatThrownBy(() -> config("adv.mode", "sometimes"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("none | conadv | disadv");
    assertThatThrownBy(() -> AdvSettings.of(config("adv.tau", 2)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.tau'")
        .hasMessageContaining("only with adv.mode conadv or disadv (adv.mode is none)");
    assertThatThrownBy(() -> AdvSettings.of(config("adv.separate-bn", true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.separate-bn'")
        .hasMessageContaining("only with adv.mode conadv or disadv (adv.mode is none)");
    assertThatThrownBy(() -> AdvSettings.of(config("adv.mode", "conadv", "adv.input-min", 1.0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'adv.input-max'");
    assertThatThrownBy(() -> AdvSettings.of(config("adv.mode", "conadv", "model", "fmnist-encoder",
        "train.objective", "reconstruct"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("train.objective classify");
  }

  @Test
  void thePlannerCountsTheAttackersCopies() {
    io.sparkzero.worker.model.TrainableModel mlp = ModelZoo.build("mlp", 1);
    assertThat(MemoryCheck.plan(config(), mlp).input().attackerCopies()).isZero();
    assertThat(MemoryCheck.plan(config("adv.mode", "disadv"), mlp).input().attackerCopies()).isEqualTo(2);
    assertThat(MemoryCheck.plan(config("adv.mode", "conadv", "adv.tau", 3), mlp).input().attackerCopies())
        .as("the network and tau + 1 snapshots").isEqualTo(5);
    assertThat(AdvSettings.of(config("adv.mode", "conadv", "adv.separate-bn", true)).separateBn()).isTrue();
    assertThat(MemoryCheck.plan(config("adv.mode", "conadv"), mlp).input().accumulates())
        .as("one pass: no accumulator").isFalse();
    assertThat(MemoryCheck.plan(config("adv.mode", "conadv", "adv.separate-bn", true), mlp).input().accumulates())
        .as("two passes per micro-batch: the accumulator counted").isTrue();
  }

  @Test
  void aModelWithoutContinuousInputsIsRefusedAndAGraphIsAttacked() {
    MultiLayerNetwork ids = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1).list()
        .layer(new EmbeddingLayer.Builder().nIn(784).nOut(8).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(8).nOut(10)
            .activation(Activation.SOFTMAX).build())
        .build());
    ids.init();
    assertThatThrownBy(() -> AdvSettings.checkModel(config("adv.mode", "conadv", "model", "file:/m.zip"),
        Dl4jModel.wrap("file:/m.zip", ids))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("continuous inputs").hasMessageContaining("embedding layer");
    AdvSettings.checkModel(config("adv.mode", "disadv", "model", "resnet"), ModelZoo.build("resnet", 1));
    AdvSettings.checkModel(config("adv.mode", "conadv"), ModelZoo.build("mlp", 1)); // fine
  }

  @Test
  void theRobustEvaluationIsAnUntargetedPgdAttackWithMadrysStep() {
    assertThat(AdvSettings.robustAttack(config())).as("none by default").isNull();
    AttackOptions attack = AdvSettings.robustAttack(config("eval.robust-steps", "10", "eval.robust-epsilon", "0.1",
        "adv.input-min", "-1"));
    assertThat(attack.steps()).isEqualTo(10);
    assertThat(attack.epsilon()).isEqualTo(0.1f);
    assertThat(attack.stepSize()).isEqualTo(0.025f);
    assertThat(attack.targeted()).isFalse();
    assertThat(attack.randomStart()).isEqualTo(1.0);
    assertThat(attack.inputMin()).isEqualTo(-1f);
    // The input range is the robust evaluation's too, so it may be set without adv.mode.
    assertThat(AdvSettings.of(config("eval.robust-steps", "10", "adv.input-min", "-1"))).isEqualTo(AdvOptions.NONE);
    assertThatThrownBy(() -> AdvSettings.of(config("adv.input-min", "-1"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("adv.input-min");
    assertThatThrownBy(() -> AdvSettings.robustAttack(config("eval.robust-steps", "10", "eval.robust-epsilon", "2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("eval.robust-epsilon")
        .hasMessageContaining("at most 1.0");
    assertThatThrownBy(() -> AdvSettings.robustAttack(config("eval.robust-steps", "10", "train.objective",
        "reconstruct"))).isInstanceOf(ConfigException.class).hasMessageContaining("eval.robust-steps");
  }
}
