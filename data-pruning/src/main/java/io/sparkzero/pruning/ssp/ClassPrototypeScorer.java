package io.sparkzero.pruning.ssp;

import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningMetric;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Supervised prototype scores, the labelled counterpart of {@link PrototypeScorer}: each class's
 * prototype is the normalised mean of its examples' unit embeddings, and an example scores {@code
 * 1 − cos} against the prototype of its own class (no k-means, the labels are the clusters). High
 * score = hard: far from what its class looks like, often mislabelled or atypical.
 *
 * <p>The per-class sums are aggregated on the executors (one vector per class per partition is
 * all that travels); the centroids are broadcast back and every example is scored on the
 * executors; the driver collects id, label and score.
 */
public final class ClassPrototypeScorer {
  private final SparkSession spark;

  public ClassPrototypeScorer(SparkSession spark) {
    this.spark = spark;
  }

  /** Scores labelled {@code examples}, in id order; the RDD is read twice: cache it if costly. */
  public ExampleScores score(JavaRDD<SspExample> examples) {
    ClassCentroids.Scoring scoring = examples
        .aggregate(new ClassCentroids(), ClassCentroids::add, ClassCentroids::merge).prototypes();
    Broadcast<ClassCentroids.Scoring> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(scoring);
    List<ScoredExample> rows;
    try {
      rows = examples.map(e -> new ScoredExample(e.id(), e.label(), e.label(), shared.value().score(e), Double.NaN))
          .collect();
    } finally {
      shared.destroy();
    }
    ScoredExample[] sorted = rows.toArray(ScoredExample[]::new);
    Arrays.sort(sorted, Comparator.comparingLong(ScoredExample::id));
    long[] ids = new long[sorted.length];
    int[] labels = new int[sorted.length];
    double[] scores = new double[sorted.length];
    for (int i = 0; i < sorted.length; i++) {
      ids[i] = sorted[i].id();
      labels[i] = sorted[i].label();
      scores[i] = sorted[i].score();
    }
    return ExampleScores.of(PruningMetric.SUPERVISED_PROTOTYPES.configValue(), ids, labels, scores);
  }
}
