package io.sparkzero.driver.prune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.driver.options.JobConfig;
import io.sparkzero.pruning.KeepPolicy;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningMetric;
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
  void theSelectingMetricComesFirstAndEachMetricIsScoredOnce() {
    PruneSettings s = PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p", "pruning.metric", "el2n",
        "pruning.also-score", "random,supervised-prototypes,el2n,forgetting", "pruning.probe-seeds", 2,
        "pruning.seed", 40)));
    assertThat(s.metrics()).containsExactly(PruningMetric.EL2N, PruningMetric.RANDOM,
        PruningMetric.SUPERVISED_PROTOTYPES, PruningMetric.FORGETTING);
    assertThat(s.metric()).isEqualTo("el2n");
    assertThat(s.needsEmbedding()).isTrue();
    assertThat(s.needsProbes()).isTrue();
    assertThat(s.probes()).isEqualTo(new PruneSettings.Probes(2, 2, 40));
    assertThat(PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p", "pruning.also-score", "")))
        .metrics()).containsExactly(PruningMetric.SSP);
  }

  @Test
  void aMetricThatNeedsLabelsOnUnlabelledDataIsRefusedNamingBoth() {
    String data = "idx:/data/train-images-idx3-ubyte.gz,labels=none";
    assertThatThrownBy(() -> PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p",
        "data.train", data, "pruning.metric", "el2n"))))
        .isInstanceOf(PruningException.class)
        .hasMessage("option 'pruning.metric': el2n needs labels, but data.train (" + data + ") has none;"
            + " use ssp or random, or give a labels file (labels=<uri>)");
    assertThatThrownBy(() -> PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p",
        "data.train", data, "pruning.metric", "random", "pruning.also-score", "random,supervised-prototypes"))))
        .hasMessageStartingWith("option 'pruning.also-score': supervised-prototypes needs labels");
    assertThatThrownBy(() -> PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p",
        "data.train", data))))
        .hasMessageStartingWith("option 'pruning.k': 0 means 10 x the number of classes");
    assertThat(PruneSettings.of(JobConfig.of(Map.of("pruning.output", "/tmp/p", "data.train", data,
        "pruning.k", 20))).metrics()).containsExactly(PruningMetric.SSP, PruningMetric.RANDOM);
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
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.metric", "el2")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.metric");
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.embedding", "model:file:///m.zip")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.embedding");
    assertThatThrownBy(() -> JobConfig.of(Map.of("pruning.report-thumbnails", 65)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pruning.report-thumbnails");
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
