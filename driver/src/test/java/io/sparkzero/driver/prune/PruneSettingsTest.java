package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.pruning.KeepPolicy;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.sharding.options.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneSettingsTest {

  @Test
  void aJobFileCarriesThePruningOptions() {
    PruneSettings s = PruneSettings.of(JobConfig.of(Map.of("pruning.output", "file:///tmp/p",
        "pruning.fraction", "0.3", "pruning.keep", "easy", "pruning.metric", "random", "pruning.k", 7,
        "train.world-size", 4, "train.batch-size", 16)));
    assertThat(s.metric()).isEqualTo("random");
    assertThat(s.needsEmbedding()).isFalse();
    assertThat(s.k()).isEqualTo(7);
    assertThat(s.selection().fraction()).isEqualTo(0.3);
    assertThat(s.selection().keep()).isEqualTo(KeepPolicy.EASY);
    assertThat(s.minKeptExamples()).isEqualTo(64);
    assertThat(s.file("report.html")).isEqualTo("file:///tmp/p/report.html");
  }

  @Test
  void theDefaultsAreSspOnPixels() {
    PruneSettings s = PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p/")));
    assertThat(s.metric()).isEqualTo("ssp");
    assertThat(s.embedding()).isEqualTo("pixels");
    assertThat(s.k()).isZero();
    assertThat(s.file("summary.json")).isEqualTo("/tmp/p/summary.json");
  }

  @Test
  void aMissingOutputIsAConfigurationError() {
    assertThatThrownBy(() -> PruneSettings.of(JobConfig.of(Map.of())))
        .isInstanceOf(PruningException.class).hasMessageContaining("pruning.output");
  }

  @Test
  void badPruningValuesAreRefusedWhenTheJobFileIsRead() {
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.fraction", 1.5)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.fraction");
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.metric", "el2n")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.metric");
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.embedding", "model:file:///m.zip")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.embedding");
    assertThat(JobConfig.of(Map.of("pruning.embedding", "model:file:///m.zip#3")).entries())
        .containsEntry("pruning.embedding", "model:file:///m.zip#3");
  }

  @Test
  void trainPrunesWithoutAnOutputButPruneRefusesTheTrainingModelsEmbedding() {
    JobConfig config = JobConfig.of(Map.of("pruning.fraction", "0.5", "pruning.embedding", "training#1"));
    assertThat(PruneSettings.forTraining(config).embedding()).isEqualTo("training#1");
    assertThatThrownBy(() -> PruneSettings.of(config.with(io.sparkzero.pruning.PruningOptionSpecs.OUTPUT, "/tmp/p")))
        .isInstanceOf(PruningException.class).hasMessageContaining("pruning.embedding")
        .hasMessageContaining("only train's pruning has");
  }

  @Test
  void reScoringNeedsTheModelBeingTrainedAndNoScoresFile() {
    TrainPruning.check(JobConfig.of(Map.of("pruning.fraction", "0.5", "pruning.rescore-every", 2,
        "pruning.embedding", "training#0")));
    assertThatThrownBy(() -> TrainPruning.check(JobConfig.of(Map.of("pruning.fraction", "0.5",
        "pruning.rescore-every", 2))))
        .isInstanceOf(PruningException.class).hasMessageContaining("pruning.rescore-every")
        .hasMessageContaining("pruning.embedding=pixels does not read it");
    assertThatThrownBy(() -> TrainPruning.check(JobConfig.of(Map.of("pruning.fraction", "0.5",
        "pruning.rescore-every", 1, "pruning.embedding", "training#0", "pruning.scores", "/tmp/s"))))
        .isInstanceOf(PruningException.class).hasMessageContaining("reads fixed scores from a file");
    TrainPruning.check(JobConfig.of(Map.of("pruning.rescore-every", 1))); // fraction 1: no pruning
  }
}
