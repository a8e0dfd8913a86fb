package io.sparkzero.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparkzero.sharding.options.ConfigException;
import org.junit.jupiter.api.Test;

class PruningMetricTest {

  @Test
  void aListKeepsItsOrderOnceEachAndMayBeEmpty() {
    assertThat(PruningMetric.listOf("k", " forgetting,random ,forgetting"))
        .containsExactly(PruningMetric.FORGETTING, PruningMetric.RANDOM);
    assertThat(PruningMetric.listOf("k", "")).isEmpty();
  }

  @Test
  void anUnknownNameIsRefusedWithTheAllowedNames() {
    assertThatThrownBy(() -> PruningMetric.listOf(PruningOptionSpecs.ALSO_SCORE_KEY, "random,el2"))
        .isInstanceOf(PruningException.class)
        .hasMessage("option 'pruning.also-score': value 'el2' is not allowed; expected ssp | random | el2n"
            + " | forgetting | supervised-prototypes");
  }

  @Test
  void columnsUseUnderscores() {
    assertThat(PruningMetric.SUPERVISED_PROTOTYPES.column()).isEqualTo("score_supervised_prototypes");
    assertThat(PruningMetric.EL2N.column()).isEqualTo("score_el2n");
  }

  @Test
  void whatEachMetricNeeds() {
    assertThat(PruningMetric.EL2N.needsProbes()).isTrue();
    assertThat(PruningMetric.FORGETTING.needsLabels()).isTrue();
    assertThat(PruningMetric.SUPERVISED_PROTOTYPES.needsEmbedding()).isTrue();
    assertThat(PruningMetric.SSP.needsLabels()).isFalse();
    assertThat(PruningMetric.RANDOM.needsEmbedding()).isFalse();
  }

  @Test
  void theOptionsTakeOneMetricAndAListOfThem() {
    assertThat(PruningOptionSpecs.METRIC.parse("el2n")).isEqualTo("el2n");
    assertThatThrownBy(() -> PruningOptionSpecs.METRIC.parse("el2n,random")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> PruningOptionSpecs.METRIC.parse("")).isInstanceOf(ConfigException.class);
    assertThat(PruningOptionSpecs.ALSO_SCORE.parse("")).isEmpty();
    assertThat(PruningOptionSpecs.ALSO_SCORE.parse("random,supervised-prototypes")).isNotEmpty();
    assertThatThrownBy(() -> PruningOptionSpecs.ALSO_SCORE.parse("random,bogus")).isInstanceOf(ConfigException.class);
  }
}
