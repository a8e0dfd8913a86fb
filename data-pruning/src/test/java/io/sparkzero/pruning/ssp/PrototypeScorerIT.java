package io.sparkzero.pruning.ssp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SSP scores on real Spark ({@code local[2]}) for synthetic embeddings: three orthogonal
 * directions in 8-d, 30 noisy points each (ids 0..89, labelled by direction), and three
 * unlabelled ambiguous points halfway between two directions (ids 1000..1002).
 */
class PrototypeScorerIT {

  @RegisterExtension static final LocalSpark SPARK = new LocalSpark();

  private static final int DIMENSIONS = 8;
  private static final int PER_DIRECTION = 30;
  private static final long[] AMBIGUOUS_IDS = {1000, 1001, 1002};
  private static final SspOptions OPTIONS = SspOptions.defaults(42).withK(3);

  private static List<SspExample> examples;
  private static SspResult result;

  @BeforeAll
  static void scoreOnce() {
    examples = syntheticExamples();
    result = new PrototypeScorer(SPARK.session(), OPTIONS).score(arrayTable(examples));
  }

  @Test
  void clustersRecoverTheDirections() {
    Set<Integer> clustersOfDirections = IntStream.range(0, 3).mapToObj(direction -> {
      Set<Integer> clusters = IntStream.range(0, result.size())
          .filter(i -> result.labels()[i] == direction).mapToObj(i -> result.clusters()[i])
          .collect(Collectors.toSet());
      assertThat(clusters).as("clusters of direction %d", direction).hasSize(1);
      return clusters.iterator().next();
    }).collect(Collectors.toSet());
    assertThat(clustersOfDirections).hasSize(3);
    // Each ambiguous point joins one of its two directions' clusters, whichever its noise favours.
    assertThat(Arrays.stream(result.clusterSizes()).sum()).isEqualTo(3 * PER_DIRECTION + 3);
    for (int c = 0; c < 3; c++) {
      assertThat(Arrays.stream(result.classCountsByCluster()[c]).sum())
          .as("labelled examples of cluster %d", c).isEqualTo(PER_DIRECTION);
    }
  }

  @Test
  void ambiguousPointsScoreHighestAndCleanPointsLow() {
    double maxClean = 0;
    double minAmbiguous = Double.MAX_VALUE;
    for (int i = 0; i < result.size(); i++) {
      if (result.labels()[i] == SspExample.UNKNOWN_LABEL) {
        minAmbiguous = Math.min(minAmbiguous, result.scores()[i]);
      } else {
        maxClean = Math.max(maxClean, result.scores()[i]);
      }
    }
    // Noise of 0.05 per coordinate tilts a clean point about 0.14 rad: 1 − cos ≈ 0.01. A point
    // halfway between two orthogonal directions is 45° from either: 1 − cos ≈ 0.29.
    assertThat(maxClean).isLessThan(0.1);
    assertThat(minAmbiguous).isGreaterThan(0.2);
    assertThat(result.ids()).endsWith(AMBIGUOUS_IDS);
  }

  @Test
  void scoresEqualABruteForceRecomputation() {
    double[][] centroids = result.unitCentroids();
    for (int i = 0; i < result.size(); i++) {
      float[] raw = examples.get(i).embedding();
      assertThat(examples.get(i).id()).isEqualTo(result.ids()[i]);
      double norm = 0;
      for (float v : raw) {
        norm += (double) v * v;
      }
      norm = Math.sqrt(norm);
      double[] cosines = new double[centroids.length];
      for (int c = 0; c < centroids.length; c++) {
        for (int d = 0; d < DIMENSIONS; d++) {
          cosines[c] += raw[d] / norm * centroids[c][d];
        }
      }
      int cluster = result.clusters()[i];
      assertThat(cosines[cluster]).isEqualTo(Arrays.stream(cosines).max().orElseThrow());
      // Both sides are the same double formula summed in another order: rounding differs by a
      // few ulps (~1e-16), far below 1e-9.
      assertThat(result.scores()[i]).isCloseTo(1 - cosines[cluster], within(1e-9));
      double runnerUp = IntStream.range(0, cosines.length).filter(c -> c != cluster)
          .mapToDouble(c -> cosines[c]).max().orElseThrow();
      assertThat(result.secondScores()[i]).isCloseTo(1 - runnerUp, within(1e-9));
    }
  }

  @Test
  void theExamplesBetweenTwoDirectionsHaveTheSmallestMargins() {
    double[] margins = result.margins();
    double maxAmbiguous = 0;
    double minClean = Double.MAX_VALUE;
    for (int i = 0; i < result.size(); i++) {
      if (result.labels()[i] == SspExample.UNKNOWN_LABEL) {
        maxAmbiguous = Math.max(maxAmbiguous, margins[i]);
      } else {
        minClean = Math.min(minClean, margins[i]);
      }
    }
    // A clean point is ~0.01 from its own direction and ~1 from the others (orthogonal); a point
    // halfway between two is ~0.29 from both, so its margin is the noise's few hundredths.
    assertThat(minClean).isGreaterThan(0.8);
    assertThat(maxAmbiguous).isLessThan(0.15);
  }

  @Test
  void oneSeedGivesOneResultFromEitherColumnType() {
    SspResult again = new PrototypeScorer(SPARK.session(), OPTIONS).score(arrayTable(examples));
    assertThat(again.clusters()).containsExactly(result.clusters());
    assertThat(again.scores()).containsExactly(result.scores());
    SspResult fromVectors = new PrototypeScorer(SPARK.session(), OPTIONS).score(vectorTable());
    assertThat(fromVectors.clusters()).containsExactly(result.clusters());
    assertThat(fromVectors.scores()).containsExactly(result.scores(), within(1e-12));
  }

  /**
   * The scorer runs MLlib's RDD k-means; {@code ml.clustering.KMeans.fit}, which it ran before,
   * runs the same algorithm and must find the same centroids on the same unit vectors in the same
   * partitions. Random points and k = 10, so that the start matters.
   */
  @Test
  void centroidsAreThoseOfMlKMeansOnTheSameUnitVectors() {
    Random random = new Random(11);
    List<SspExample> cloud = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      float[] e = noise(random);
      e[i % DIMENSIONS] += 0.1f;
      cloud.add(new SspExample(i, i % 3, e));
    }
    SspOptions options = SspOptions.defaults(5).withK(10);
    SspResult scored = score(options, cloud);
    JavaRDD<Row> unitRows = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext())
        .parallelize(cloud, 2).map(e -> RowFactory.create(Vectors.dense(Prototypes.unit(
            IntStream.range(0, DIMENSIONS).mapToDouble(d -> e.embedding()[d]).toArray(), "e"))));
    Dataset<Row> table = SPARK.session().createDataFrame(unitRows,
        new StructType().add("features", SQLDataTypes.VectorType()));
    org.apache.spark.ml.linalg.Vector[] ml = new KMeans().setK(10).setSeed(5)
        .setMaxIter(options.maxIterations()).setTol(options.tolerance()).setDistanceMeasure("cosine")
        .fit(table).clusterCenters();
    assertThat(scored.unitCentroids()).hasNumberOfRows(10);
    for (int c = 0; c < 10; c++) {
      assertThat(scored.unitCentroids()[c]).as("centroid %d", c)
          .containsExactly(Prototypes.unit(ml[c].toArray(), "ml centroid"), within(1e-12));
    }
  }

  @Test
  void refusesKLargerThanTheExamples() {
    assertThatThrownBy(() -> score(OPTIONS.withK(100), examples))
        .hasMessage("pruning.k = 100 is larger than the 93 examples; allowed: 1..93");
    // Default k: 10 × 3 classes, for the 24 examples whose id is a multiple of 4 (1000 among them).
    List<SspExample> fewer = examples.stream().filter(e -> e.id() % 4 == 0).toList();
    assertThatThrownBy(() -> score(SspOptions.defaults(1), fewer))
        .hasMessage("pruning.k = 30 is larger than the 24 examples; allowed: 1..24");
  }

  @Test
  void refusesMixedDimensionsAndZeroEmbeddings() {
    List<SspExample> mixed = new ArrayList<>(examples.subList(0, 10));
    mixed.set(6, new SspExample(6, 0, new float[DIMENSIONS - 1]));
    mixed.set(8, new SspExample(8, 0, new float[DIMENSIONS + 1]));
    assertThatThrownBy(() -> score(OPTIONS, mixed)).hasMessage("example id 6 has an embedding"
        + " of 7 dimensions, unlike the 8 of example id 0;"
        + " all embeddings must have the same dimension");
    List<SspExample> zero = new ArrayList<>(examples.subList(0, 10));
    zero.set(3, new SspExample(3, 0, new float[DIMENSIONS]));
    assertThatThrownBy(() -> score(OPTIONS, zero)).hasMessageStartingWith(
        "example id 3 has an all-zero embedding");
  }

  private static SspResult score(SspOptions options, List<SspExample> list) {
    JavaRDD<SspExample> rdd = JavaSparkContext.fromSparkContext(SPARK.session().sparkContext())
        .parallelize(list, 2);
    return new PrototypeScorer(SPARK.session(), options).score(rdd);
  }

  private static List<SspExample> syntheticExamples() {
    Random random = new Random(7);
    List<SspExample> list = new ArrayList<>();
    for (int direction = 0; direction < 3; direction++) {
      for (int j = 0; j < PER_DIRECTION; j++) {
        float[] e = noise(random);
        e[direction] += 1;
        list.add(new SspExample(direction * PER_DIRECTION + j, direction, e));
      }
    }
    for (int pair = 0; pair < 3; pair++) {
      float[] e = noise(random);
      e[pair] += 0.5f;
      e[(pair + 1) % 3] += 0.5f;
      list.add(new SspExample(AMBIGUOUS_IDS[pair], SspExample.UNKNOWN_LABEL, e));
    }
    return list;
  }

  private static float[] noise(Random random) {
    float[] e = new float[DIMENSIONS];
    for (int d = 0; d < DIMENSIONS; d++) {
      e[d] = (float) (0.05 * random.nextGaussian());
    }
    return e;
  }

  private static Dataset<Row> arrayTable(List<SspExample> list) {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("label", DataTypes.IntegerType)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> rows = list.stream().map(e -> RowFactory.create(e.id(), e.label(),
        IntStream.range(0, DIMENSIONS).mapToObj(d -> e.embedding()[d]).toArray(Float[]::new)))
        .toList();
    return SPARK.session().createDataFrame(rows, schema);
  }

  private static Dataset<Row> vectorTable() {
    StructType schema = new StructType().add("id", DataTypes.LongType)
        .add("label", DataTypes.IntegerType).add("embedding", SQLDataTypes.VectorType());
    List<Row> rows = examples.stream().map(e -> RowFactory.create(e.id(), e.label(),
        Vectors.dense(IntStream.range(0, DIMENSIONS).mapToDouble(d -> e.embedding()[d]).toArray())))
        .toList();
    return SPARK.session().createDataFrame(rows, schema);
  }
}
