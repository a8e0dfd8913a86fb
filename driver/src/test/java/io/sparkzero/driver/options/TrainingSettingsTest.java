package io.sparkzero.driver.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.optim.OptimizerOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainingSettingsTest {

  private static JobConfig config(Object... keyValues) {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("train.world-size", 2);
    raw.put("train.batch-size", 256);
    for (int i = 0; i < keyValues.length; i += 2) {
      raw.put((String) keyValues[i], keyValues[i + 1]);
    }
    return JobConfig.of(raw);
  }

  @Test
  void globalBatchSetsTheAccumulationSteps() {
    assertThat(TrainingSettings.accumulation(config("train.global-batch", 8192))).isEqualTo(16);
    assertThat(TrainingSettings.globalBatch(config("train.accumulation-steps", 3))).isEqualTo(1536);
    assertThat(TrainingSettings.accumulation(config())).isEqualTo(1);
  }

  @Test
  void aGlobalBatchThatMicroBatchesCannotMakeIsRefused() {
    assertThatThrownBy(() -> TrainingSettings.check(config("train.global-batch", 1000)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("train.global-batch").hasMessageContaining("not a multiple of")
        .hasMessageContaining("512");
    assertThatThrownBy(() -> TrainingSettings.check(config("train.global-batch", 8192,
        "train.accumulation-steps", 4)))
        .hasMessageContaining("train.accumulation-steps").hasMessageContaining("x 16");
  }

  @Test
  void emptyOptimizerOptionsTakeThePapersDefaults() {
    OptimizerOptions lamb = TrainingSettings.optimizer(config("optimizer.name", "lamb"));
    assertThat(lamb.epsilon()).isEqualTo(1e-6);
    assertThat(lamb.weightDecay()).isEqualTo(0.01);
    OptimizerOptions lars = TrainingSettings.optimizer(config("optimizer.name", "lars"));
    assertThat(lars.epsilon()).isZero();
    assertThat(lars.weightDecay()).isEqualTo(1e-4);
    assertThat(lars.trustCoefficient()).isEqualTo(1e-3);
    OptimizerOptions adam = TrainingSettings.optimizer(config("optimizer.epsilon", 1e-7));
    assertThat(adam.epsilon()).isEqualTo(1e-7);
    assertThat(adam.weightDecay()).isZero();
  }

  @Test
  void anUnsetPerOptimizerDefaultSurvivesAConfigCopy() {
    JobConfig copied = config("optimizer.name", "lamb")
        .with(JobOptions.ZERO_STAGE, 2);
    assertThat(TrainingSettings.optimizer(copied).epsilon()).isEqualTo(1e-6);
  }

  @Test
  void contradictionsAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> TrainingSettings.check(config("optimizer.weight-decay", 0.1)))
        .hasMessageContaining("optimizer.weight-decay").hasMessageContaining("adam");
    assertThatThrownBy(() -> TrainingSettings.check(config("optimizer.name", "lamb",
        "optimizer.epsilon", 0)))
        .hasMessageContaining("optimizer.epsilon");
    assertThatThrownBy(() -> TrainingSettings.check(config("optimizer.exclude", "(_b")))
        .hasMessageContaining("optimizer.exclude").hasMessageContaining("regular expression");
    assertThatThrownBy(() -> TrainingSettings.check(config("lr.warmup-epochs", 1, "lr.warmup-steps", 5)))
        .hasMessageContaining("lr.warmup-steps");
    assertThatThrownBy(() -> config("lr.scale", "cubic"))
        .hasMessageContaining("lr.scale").hasMessageContaining("linear");
  }

  @Test
  void bf16IsRefusedSayingWhyAndFp16RunsAtEveryStage() {
    assertThatThrownBy(() -> TrainingSettings.check(config("train.precision", "bf16")))
        .hasMessageContaining("train.precision").hasMessageContaining("HALF");
    for (int stage = 0; stage <= 3; stage++) {
      TrainingSettings.check(config("train.precision", "fp16", "zero.stage", stage));
    }
    assertThat(TrainingSettings.lossScale(config("train.precision", "fp16")).dynamic()).isTrue();
    assertThat(TrainingSettings.lossScale(config()).dynamic()).isFalse();
  }

  @Test
  void warmUpEpochsBecomeWholeSteps() {
    var schedule = TrainingSettings.schedule(config("lr.warmup-epochs", 2.5, "train.epochs", 10), 7);
    assertThat(schedule.warmupSteps()).isEqualTo(18);
    assertThat(schedule.totalSteps()).isEqualTo(70);
    assertThat(schedule.globalBatch()).isEqualTo(512);
  }
}
