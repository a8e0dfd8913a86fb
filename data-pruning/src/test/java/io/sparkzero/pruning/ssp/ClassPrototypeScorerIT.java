package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparkzero.pruning.ExampleScores;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Supervised prototypes on real Spark: sums per class on the executors, scores in id order. */
class ClassPrototypeScorerIT {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  @Test
  void scoresEachExampleAgainstItsOwnClassCentroidAcrossPartitions() {
    // Class 0 points along x (one off-axis), class 1 along y; ids out of order over 3 partitions.
    List<SspExample> examples = List.of(
        new SspExample(5, 0, new float[] {1, 0}),
        new SspExample(1, 1, new float[] {0, 2}),
        new SspExample(3, 0, new float[] {3, 0}),
        new SspExample(0, 0, new float[] {1, 1}),
        new SspExample(4, 1, new float[] {0, 1}));
    ExampleScores scores = new ClassPrototypeScorer(SPARK.session()).score(
        JavaSparkContext.fromSparkContext(SPARK.session().sparkContext()).parallelize(examples, 3));

    assertThat(scores.metric()).isEqualTo("supervised-prototypes");
    assertThat(new long[] {scores.id(0), scores.id(1), scores.id(2), scores.id(3), scores.id(4)})
        .containsExactly(0, 1, 3, 4, 5);
    // Class 0's centroid: (1, 0) + (1, 0) + (1, 1)/√2, normalised.
    double x = 2 + 1 / Math.sqrt(2);
    double y = 1 / Math.sqrt(2);
    double norm = Math.hypot(x, y);
    assertThat(scores.score(2)).isCloseTo(1 - x / norm, within(1e-9)); // id 3 on the x axis
    assertThat(scores.score(0)).isCloseTo(1 - (x + y) / (Math.sqrt(2) * norm), within(1e-9)); // id 0
    assertThat(scores.score(0)).isGreaterThan(scores.score(2)); // the off-axis one is harder
    assertThat(scores.score(1)).isCloseTo(0, within(1e-12)); // class 1 all on its centroid
    assertThat(scores.label(3)).isEqualTo(1);
  }
}
