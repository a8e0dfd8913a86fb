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
        "train.world-size", 4, "train.batch-size", 16, "pruning.report-thumbnails", 0,
        "pruning.experiment", " file:///tmp/results.json ")));
    assertThat(s.metric()).isEqualTo("random");
    assertThat(s.needsEmbedding()).isFalse();
    assertThat(s.k()).isEqualTo(7);
    assertThat(s.selection().fraction()).isEqualTo(0.3);
    assertThat(s.selection().keep()).isEqualTo(KeepPolicy.EASY);
    assertThat(s.minKeptExamples()).isEqualTo(64);
    assertThat(s.file("report.html")).isEqualTo("file:///tmp/p/report.html");
    assertThat(s.thumbnails()).isZero();
    assertThat(s.experimentUri()).isEqualTo("file:///tmp/results.json");
  }

  @Test
  void theDefaultsAreSspOnPixels() {
    PruneSettings s = PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p/")));
    assertThat(s.metric()).isEqualTo("ssp");
    assertThat(s.embedding()).isEqualTo("pixels");
    assertThat(s.k()).isZero();
    assertThat(s.thumbnails()).isEqualTo(8);
    assertThat(s.experimentUri()).isEmpty();
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
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.report-thumbnails", 65)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.report-thumbnails");
    assertThat(JobConfig.of(Map.of("pruning.embedding", "model:file:///m.zip#3")).entries())
        .containsEntry("pruning.embedding", "model:file:///m.zip#3");
  }
}
