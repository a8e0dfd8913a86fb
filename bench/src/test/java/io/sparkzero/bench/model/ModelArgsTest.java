package io.sparkzero.bench.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelArgsTest {

  @Test
  void throughputRunsFiveTimesWithTheDefaultHelpersUnlessTold() {
    assertThat(ModelThroughputArgs.parse("wide-mlp", "128", "5", "1"))
        .isEqualTo(new ModelThroughputArgs("wide-mlp", 128, 5, 1, 5, "default"));
    assertThat(ModelThroughputArgs.parse("wide-mlp:64x3", "32", "5", "1", "3", "conv,bn"))
        .isEqualTo(new ModelThroughputArgs("wide-mlp:64x3", 32, 5, 1, 3, "conv,bn"));
  }

  @Test
  void throughputRefusesBadValuesNamingTheArgumentTheValueAndWhatIsAllowed() {
    String usage = "; usage: ModelThroughputBenchmark MODEL BATCH STEPS THREADS [RUNS] [HELPERS]"
        + " (defaults 5 default)";
    assertThatThrownBy(() -> ModelThroughputArgs.parse("cnn", "128", "5", "1"))
        .hasMessage("MODEL cnn: expected one of fmnist-cnn, wide-mlp, mlp, resnet, lk-convnet, fmnist-encoder,"
            + " or wide-mlp:<width>[x<hidden layers>]" + usage);
    assertThatThrownBy(() -> ModelThroughputArgs.parse("mlp", "12x", "5", "1"))
        .hasMessage("BATCH 12x: expected a whole number, at least 1" + usage);
    assertThatThrownBy(() -> ModelThroughputArgs.parse("mlp", "128", "5", "1", "3", "gpu"))
        .hasMessage("HELPERS gpu: expected default, builtin, all or a comma list of conv, pool,"
            + " bn" + usage);
    assertThatThrownBy(() -> ModelThroughputArgs.parse("mlp", "128", "5"))
        .hasMessage("missing THREADS: expected a whole number, at least 1" + usage);
  }

  @Test
  void parityComparesEveryHelperUnlessTold() {
    assertThat(HelperParityArgs.parse("fmnist-cnn", "8"))
        .isEqualTo(new HelperParityArgs("fmnist-cnn", 8, "all"));
    assertThatThrownBy(() -> HelperParityArgs.parse("fmnist-cnn", "8", "default"))
        .hasMessage("HELPERS default: expected builtin, all or a comma list of conv, pool, bn;"
            + " usage: HelperParity MODEL BATCH [HELPERS] (defaults all)");
  }

  @Test
  void layerProfileRunsTwentyPassesOfFmnistCnnOnOneThreadUnlessTold() {
    assertThat(LayerProfileArgs.parse())
        .isEqualTo(new LayerProfileArgs(128, 20, "default", "fmnist-cnn", 5, 1));
    assertThat(LayerProfileArgs.parse("64", "3", "builtin", "--model", "mlp", "--warmup", "0"))
        .isEqualTo(new LayerProfileArgs(64, 3, "builtin", "mlp", 0, 1));
    assertThatThrownBy(() -> LayerProfileArgs.parse("128", "0"))
        .hasMessage("PASSES 0: expected a whole number, at least 1; usage: LayerProfile [BATCH]"
            + " [PASSES] [HELPERS] [--model NAME] [--warmup N] [--threads N]"
            + " (defaults 128 20 default)");
  }
}
