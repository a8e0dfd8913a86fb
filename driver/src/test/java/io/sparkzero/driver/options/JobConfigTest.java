package io.sparkzero.driver.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.collective.CollectiveOptionSpecs;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.sharding.options.OptionSpec;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.optim.OptimizerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

  @TempDir
  Path dir;

  @Test
  void nestedYamlFlattensToDottedKeysAndOverridesWin() throws Exception {
    Path job = dir.resolve("job.yaml");
    Files.writeString(job, "model: mlp\ntrain:\n  epochs: 3\n  world-size: 4\noptimizer:\n  lr: 1e-2\n"
        + "spark-conf:\n  spark.ui.enabled: false\n");
    JobConfig config = JobConfig.load(job, Map.of("train.epochs", "7"));
    assertThat(config.get(JobOptions.MODEL)).isEqualTo("mlp");
    assertThat(config.get(JobOptions.EPOCHS)).isEqualTo(7);
    assertThat(config.get(JobOptions.WORLD_SIZE)).isEqualTo(4);
    assertThat(config.get(JobOptions.LEARNING_RATE)).isEqualTo(0.01);
    assertThat(config.get(JobOptions.BATCH_SIZE)).isEqualTo(JobOptions.BATCH_SIZE.defaultValue());
    assertThat(config.sparkConf()).containsEntry("spark.ui.enabled", "false");
  }

  @Test
  void unknownKeyIsNamedWithASuggestion() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("train.epoch", 3)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.epoch'")
        .hasMessageContaining("unknown option")
        .hasMessageContaining("did you mean 'train.epochs'");
  }

  @Test
  void wrongTypeNamesKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("train.batch-size", "lots")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.batch-size'")
        .hasMessageContaining("'lots'")
        .hasMessageContaining("an integer in [1, 1048576]");
    assertThatThrownBy(() -> JobConfig.of(Map.of("train.epochs", 2.5)))
        .hasMessageContaining("'train.epochs'").hasMessageContaining("'2.5'");
  }

  @Test
  void zeroStageReadsStraightIntoTheStageTypeAndShowsAsItsNumber() {
    JobConfig config = JobConfig.of(Map.of("zero.stage", "2"));
    assertThat(config.get(JobOptions.ZERO_STAGE)).isEqualTo(ZeroStage.GRADIENTS);
    assertThat(JobConfig.of(Map.of("zero.stage", 3)).get(JobOptions.ZERO_STAGE))
        .isEqualTo(ZeroStage.PARAMETERS);
    assertThat(JobConfig.of(Map.of()).get(JobOptions.ZERO_STAGE))
        .isEqualTo(ZeroStage.DATA_PARALLEL);
    // A copy with another override keeps the stage read the first time.
    assertThat(config.with(JobOptions.EPOCHS, 2).get(JobOptions.ZERO_STAGE))
        .isEqualTo(ZeroStage.GRADIENTS);
    assertThat(config.describe()).contains("zero.stage = 2");
    assertThat(JobOptions.ZERO_STAGE.shownDefault()).isEqualTo("0");
    for (Object bad : new Object[] {"4", -1, 2.0, "two", ""}) {
      assertThatThrownBy(() -> JobConfig.of(Map.of("zero.stage", bad)))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("'zero.stage'")
          .hasMessageContaining("'" + bad + "'")
          .hasMessageContaining("an integer in [0, 3]");
    }
  }

  @Test
  void optimizerAndOffloadTiersReadIntoTheirTypesInAnyCase() {
    JobConfig config = JobConfig.of(Map.of("optimizer.name", "LAMB", "offload.optimizer", "NVMe",
        "offload.params", "host"));
    assertThat(config.get(JobOptions.OPTIMIZER)).isEqualTo(OptimizerKind.LAMB);
    assertThat(config.get(JobOptions.OFFLOAD_OPTIMIZER)).isEqualTo(OffloadPlan.Tier.NVME);
    assertThat(config.get(JobOptions.OFFLOAD_PARAMS)).isEqualTo(OffloadPlan.Tier.HOST);
    assertThat(config.describe()).contains("optimizer.name = lamb", "offload.optimizer = nvme");
    assertThatThrownBy(() -> JobConfig.of(Map.of("offload.optimizer", "disk")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'offload.optimizer'")
        .hasMessageContaining("'disk'").hasMessageContaining("one of none | host | nvme");
  }

  @Test
  void outOfRangeValueNamesKeyValueAndRange() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("train.world-size", 0)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'train.world-size'")
        .hasMessageContaining("'0'")
        .hasMessageContaining("[1, 4096]");
    assertThatThrownBy(() -> JobConfig.of(Map.of("optimizer.momentum", 1.0)))
        .hasMessageContaining("'optimizer.momentum'").hasMessageContaining("[0.0, 1.0)");
    assertThatThrownBy(() -> JobConfig.of(Map.of("optimizer.name", "rmsprop")))
        .hasMessageContaining("'optimizer.name'").hasMessageContaining("one of sgd | adam");
  }

  @Test
  void aBadCollectiveOptionIsOneLineNamingKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("collective.timeout-ms", "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'collective.timeout-ms': value 'soon' is not allowed; expected"
            + " 1..86400000");
    assertThatThrownBy(() -> JobConfig.of(Map.of("collective.chunk-bytes", 16384,
        "collective.udp-term-bytes", 65536)))
        .hasMessageStartingWith("option 'collective.udp-term-bytes': value '65536' is not"
            + " allowed; expected a power of two in 65536..1073741824, at least 8 frames")
        .hasMessageContaining("collective.chunk-bytes=16384");
    // The term is checked against the chunk size given with it, not the default one.
    assertThat(JobConfig.of(Map.of("collective.chunk-bytes", 8128, "collective.udp-term-bytes",
        65536)).collectiveEntries()).containsEntry("collective.udp-term-bytes", "65536");
    assertThatThrownBy(() -> JobConfig.of(Map.of("collective.timeout", 5)))
        .hasMessageStartingWith("option 'collective.timeout': unknown option; known collective"
            + " options: collective.transport, ");
  }

  @Test
  void aCopyTakesACollectiveOverrideToo() {
    JobConfig config = JobConfig.of(Map.of("collective.transport", "udp", "train.epochs", 2))
        .with(CollectiveOptionSpecs.TIMEOUT_MS, 1500L);
    assertThat(config.collectiveEntries()).containsEntry("collective.transport", "udp")
        .containsEntry("collective.timeout-ms", "1500");
    assertThat(config.get(JobOptions.EPOCHS)).isEqualTo(2);
    assertThatThrownBy(() -> config.with(CollectiveOptionSpecs.TIMEOUT_MS, 0L))
        .hasMessageContaining("'collective.timeout-ms'").hasMessageContaining("'0'");
  }

  @Test
  void missingOrMalformedJobFileIsReported() throws Exception {
    assertThatThrownBy(() -> JobConfig.load(dir.resolve("nope.yaml"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("nope.yaml");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "train: [1, 2\n");
    assertThatThrownBy(() -> JobConfig.load(bad, Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid YAML");
  }

  @Test
  void everyOptionHasADocLineAndAValidDefault() {
    for (OptionSpec<?> o : JobOptions.ALL) {
      assertThat(o.doc()).as(o.key()).isNotBlank();
      assertThat(o.allowed()).as(o.key()).isNotBlank();
    }
    assertThat(JobConfig.of(Map.of()).get(JobOptions.OPTIMIZER)).isEqualTo(OptimizerKind.ADAM);
  }
}
