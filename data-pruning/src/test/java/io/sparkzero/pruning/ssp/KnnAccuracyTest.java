package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KnnAccuracyTest {
  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static JavaRDD<SspExample> rdd(List<SspExample> rows, int partitions) {
    return sc().parallelize(rows, partitions);
  }

  private static JavaSparkContext sc() {
    return JavaSparkContext.fromSparkContext(SPARK.session().sparkContext());
  }

  private static SspExample at(long id, int label, double angleDegrees, double length) {
    double a = Math.toRadians(angleDegrees);
    return new SspExample(id, label, new float[] {(float) (length * Math.cos(a)),
        (float) (length * Math.sin(a))});
  }

  @Test
  void eachTestExampleTakesTheMajorityOfItsKNearestByAngle() {
    // class 0 near 0 degrees, class 1 near 90; lengths differ: cosine ignores them
    List<SspExample> train = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      train.add(at(i, 0, i, 1 + i));
      train.add(at(10 + i, 1, 90 - i, 10));
    }
    List<SspExample> test = List.of(
        at(100, 0, 10, 0.1), // right: its 3 nearest are class 0
        at(101, 1, 80, 5), // right
        at(102, 1, 20, 1)); // wrong: it lies among class 0
    KnnAccuracy.Result result = KnnAccuracy.measure(sc(), rdd(train, 3), rdd(test, 2), 3);
    assertThat(result.k()).isEqualTo(3);
    assertThat(result.testExamples()).isEqualTo(3);
    assertThat(result.accuracy()).isEqualTo(2.0 / 3);
  }

  @Test
  void aTiedVoteGoesToTheLargerSummedSimilarityThenToTheSmallerLabel() {
    // k = 2, one neighbour of each class: the nearer one's class wins
    List<SspExample> train = List.of(at(0, 3, 0, 1), at(1, 5, 50, 1));
    assertThat(KnnAccuracy.measure(sc(), rdd(train, 2), rdd(List.of(at(9, 5, 40, 1)), 1), 2)
        .accuracy()).as("label 5 is nearer").isEqualTo(1.0);
    assertThat(KnnAccuracy.measure(sc(), rdd(train, 2), rdd(List.of(at(9, 5, 10, 1)), 1), 2)
        .accuracy()).as("label 3 is nearer").isEqualTo(0.0);
    // both at the same angle from the query: equal votes, equal sums, the smaller label wins
    List<SspExample> mirrored = List.of(at(0, 4, -30, 1), at(1, 2, 30, 1));
    assertThat(KnnAccuracy.measure(sc(), rdd(mirrored, 2), rdd(List.of(at(9, 2, 0, 1)), 1), 2)
        .accuracy()).as("label 2 < 4").isEqualTo(1.0);
    assertThat(KnnAccuracy.measure(sc(), rdd(mirrored, 1), rdd(List.of(at(9, 4, 0, 1)), 1), 2)
        .accuracy()).as("label 4 loses the tie").isEqualTo(0.0);
  }

  @Test
  void theAnswerDoesNotDependOnPartitionsOrTestBlocks() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3);
    List<SspExample> train = new ArrayList<>();
    List<SspExample> test = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      int label = random.nextInt(4);
      float[] v = new float[8];
      for (int j = 0; j < v.length; j++) {
        v[j] = (float) (random.nextGaussian() + (j == label ? 1.5 : 0));
      }
      (i < 400 ? train : test).add(new SspExample(i, label, v));
    }
    double one = KnnAccuracy.measure(sc(), rdd(train, 1), rdd(test, 1), 20).accuracy();
    assertThat(KnnAccuracy.measure(sc(), rdd(train, 7), rdd(test, 3), 20).accuracy()).isEqualTo(one);
    assertThat(one).as("the classes show in the vectors").isGreaterThan(0.5);
  }

  @Test
  void unlabelledTestDataAndTooFewTrainingExamplesAreRefused() {
    List<SspExample> train = List.of(at(0, 0, 0, 1), at(1, 1, 90, 1));
    assertThatThrownBy(() -> KnnAccuracy.measure(sc(), rdd(train, 1),
        rdd(List.of(at(5, SspExample.UNKNOWN_LABEL, 0, 1)), 1), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id 5 has no label");
    assertThatThrownBy(() -> KnnAccuracy.measure(sc(), rdd(train, 1), rdd(List.of(at(5, 0, 0, 1)), 1), 3))
        .hasMessageContaining("2 training examples are fewer than k = 3");
  }
}
