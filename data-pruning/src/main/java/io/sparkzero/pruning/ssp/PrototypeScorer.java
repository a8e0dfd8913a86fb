package io.sparkzero.pruning.ssp;

import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-supervised prototype scores: L2-normalise the embeddings, cluster them with MLlib k-means
 * (cosine distance, see the package documentation for why), and score each example {@code 1 −
 * cos} against its nearest centroid. High score = hard.
 *
 * <p>Checking, clustering and scoring run on the executors; the result table is then collected to
 * the driver (id, label, cluster, score and the distance to the second-nearest centroid: 5 × 8
 * bytes per example at most), which is what the global ranking and the report need. Everything the data can get wrong (k, dimensions, zero or NaN embeddings,
 * labels) is checked in one pass before k-means starts.
 */
public final class PrototypeScorer {
  private static final Logger LOG = LoggerFactory.getLogger(PrototypeScorer.class);

  private final SparkSession spark;
  private final SspOptions options;

  /** A scorer that runs its jobs on {@code spark}. */
  public PrototypeScorer(SparkSession spark, SspOptions options) {
    this.spark = spark;
    this.options = options;
  }

  /** Scores a table with the columns {@link EmbeddingRows} reads. */
  public SspResult score(Dataset<Row> embeddings) {
    return score(EmbeddingRows.read(embeddings));
  }

  /** Scores {@code examples}; the RDD is read twice (check, then normalise): cache it if costly. */
  public SspResult score(JavaRDD<SspExample> examples) {
    EmbeddingStats stats = examples.aggregate(new EmbeddingStats(), EmbeddingStats::add,
        EmbeddingStats::merge);
    stats.check();
    int k = options.resolveK(stats.classCount());
    if (k > stats.count()) {
      throw new IllegalArgumentException("pruning.k = " + k + " is larger than the "
          + stats.count() + " examples; allowed: 1.." + stats.count());
    }
    // The unit rows, cached for scoring after k-means, in at most one partition per task slot
    // (each k-means iteration is a Spark job, whose cost is mostly per task). The vectors k-means
    // reads are not cached themselves: MLlib then caches its own vectors and norms once.
    JavaRDD<UnitExample> rows = examples.map(UnitExample::of);
    int slots = spark.sparkContext().defaultParallelism();
    if (rows.getNumPartitions() > slots) {
      rows = rows.coalesce(slots);
    }
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long t0 = System.nanoTime();
      KMeansModel model = cluster(rows.map(UnitExample::vector), k);
      long t1 = System.nanoTime();
      Prototypes prototypes = new Prototypes(centroids(model));
      List<ScoredExample> scored = scoreAll(rows, prototypes);
      LOG.info(String.format(Locale.ROOT, "ssp: k-means (k = %d) %.1f s, %d iterations, cost %.4f;"
          + " assignment and scores %.1f s", k, (t1 - t0) / 1e9, model.numIter(), model.trainingCost(),
          (System.nanoTime() - t1) / 1e9));
      return SspResult.tally(scored, prototypes.unitCentroids(), stats.classCount());
    } finally {
      rows.unpersist(false);
    }
  }

  /** Assigns and scores every example on the executors, against broadcast centroids. */
  private List<ScoredExample> scoreAll(JavaRDD<UnitExample> unit, Prototypes prototypes) {
    Broadcast<Prototypes> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(prototypes);
    try {
      return unit.map(e -> e.scored(shared.value())).collect();
    } finally {
      shared.destroy();
    }
  }

  /**
   * MLlib's k-means on the RDD of vectors: the algorithm {@code ml.clustering.KMeans.fit} runs
   * (it calls the same {@code runWithWeight}, every weight 1), without the training summary that
   * {@code fit} computes with one more pass over the data and a shuffle (the cluster sizes, which
   * {@link SspResult#tally} counts from the assignment anyway).
   */
  private KMeansModel cluster(JavaRDD<Vector> unit, int k) {
    return new KMeans()
        .setK(k)
        .setSeed(options.seed())
        .setMaxIterations(options.maxIterations())
        .setEpsilon(options.tolerance())
        .setDistanceMeasure("cosine")
        .run(unit.rdd());
  }

  private static double[][] centroids(KMeansModel model) {
    Vector[] centers = model.clusterCenters();
    double[][] arrays = new double[centers.length][];
    for (int c = 0; c < centers.length; c++) {
      arrays[c] = centers[c].toArray();
    }
    return arrays;
  }
}
