package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.pruning.ExampleScores;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.RandomScores;
import io.sparkzero.pruning.ssp.PrototypeScorer;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.pruning.ssp.SspOptions;
import io.sparkzero.pruning.ssp.SspResult;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * One metric's scores of the training data, on the driver.
 *
 * @param scores every example's score (high = hard), in the order of {@code ssp}'s rows for ssp
 * @param ssp the clusters behind the scores; null for the random metric, which has none
 */
record PruneScores(ExampleScores scores, SspResult ssp) {

  /** Scores {@code data} with the settings' metric. */
  static PruneScores of(SparkSession spark, PruneSettings settings, LoadedData data) {
    long seed = settings.selection().seed();
    if (!settings.needsEmbedding()) {
      List<long[]> rows = data.examples().map(e -> new long[] {e.id(), e.label()}).collect();
      long[] ids = rows.stream().mapToLong(r -> r[0]).toArray();
      int[] labels = rows.stream().mapToInt(r -> (int) r[1]).toArray();
      return new PruneScores(RandomScores.of(seed, ids, labels), null);
    }
    SspOptions options = settings.k() > 0 ? SspOptions.defaults(seed).withK(settings.k())
        : SspOptions.defaults(seed);
    try (Embedding embedding = Embedding.of(spark, settings.embedding(), data.numFeatures())) {
      // The scorer reads the embeddings twice (check, then cluster): compute them once.
      JavaRDD<SspExample> embedded = embedding.embed(data.examples()).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        SspResult result = new PrototypeScorer(spark, options).score(embedded);
        return new PruneScores(result.toExampleScores(), result);
      } catch (IllegalArgumentException e) {
        // The scorer's own checks (k against the examples, zero or NaN embeddings) run on the
        // driver and say what is wrong; they are the job's options or data, not a bug.
        throw new PruningException(PruningOptionSpecs.METRIC_KEY, "ssp cannot score " + data.count()
            + " examples: " + e.getMessage());
      } finally {
        embedded.unpersist(false);
      }
    }
  }

  /**
   * How ambiguous each example is, in the scores' order, small = near a boundary: for ssp the gap
   * between its distances to the second-nearest and the nearest centroid. Null for a metric
   * without an ambiguity measure (random, or ssp with a single cluster).
   */
  double[] margins() {
    return ssp == null || ssp.clusterCount() < 2 ? null : ssp.margins();
  }

  /** Example {@code i}'s cluster, or null without clusters (random). */
  Integer cluster(int i) {
    return ssp == null ? null : ssp.clusters()[i];
  }
}
