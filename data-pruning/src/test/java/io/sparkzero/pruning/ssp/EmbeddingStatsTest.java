package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddingStatsTest {

  private static SspExample example(long id, int label, float... embedding) {
    return new SspExample(id, label, embedding);
  }

  @Test
  void countsExamplesAndClasses() {
    EmbeddingStats stats = new EmbeddingStats()
        .add(example(5, 2, 1, 0)).add(example(6, -1, 0, 1));
    stats.check();
    assertThat(stats.count()).isEqualTo(2);
    assertThat(stats.classCount()).isEqualTo(3);
    assertThat(stats.dimension()).isEqualTo(2);
  }

  @Test
  void namesTheSmallestIdWithAnotherDimensionWhateverThePartitioning() {
    // Partition a sees dimensions 3, 1 and 2; partition b holds the smallest id overall.
    EmbeddingStats a = new EmbeddingStats()
        .add(example(9, 0, 1, 1, 1)).add(example(4, 0, 1)).add(example(7, 0, 1, 1));
    EmbeddingStats b = new EmbeddingStats().add(example(2, 0, 1, 1)).add(example(3, 0, 1, 1));
    String expected = "example id 4 has an embedding of 1 dimensions, unlike the 2 of example id 2;"
        + " all embeddings must have the same dimension";
    assertThatThrownBy(() -> a.merge(b).check()).hasMessage(expected);
  }

  @Test
  void namesTheZeroEmbedding() {
    EmbeddingStats stats = new EmbeddingStats().add(example(1, 0, 1, 0)).add(example(8, 0, 0, 0));
    assertThatThrownBy(stats::check).hasMessageStartingWith(
        "example id 8 has an all-zero embedding");
  }

  @Test
  void refusesNaNAndBadLabelsAndNoExamples() {
    assertThatThrownBy(new EmbeddingStats().add(example(3, 0, Float.NaN, 1))::check)
        .hasMessageStartingWith("example id 3 has a NaN or infinite embedding value");
    assertThatThrownBy(new EmbeddingStats().add(example(3, -2, 1, 1))::check)
        .hasMessageStartingWith("example id 3 has a label below -1");
    assertThatThrownBy(new EmbeddingStats()::check).hasMessageStartingWith("no examples to score");
  }
}
