package io.sparkzero.pruning.ssp;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

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
  private static final String FEATURES = "features";
  private static final StructType FEATURE_SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("label", DataTypes.IntegerType, false)
      .add(FEATURES, SQLDataTypes.VectorType(), false);

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
    // (each k-means iteration is two Spark jobs, whose cost is mostly per task). The DataFrame
    // k-means reads is not cached itself: MLlib then caches its own vectors and norms once,
    // where a cached DataFrame would be converted to vectors again in every iteration.
    JavaRDD<Row> rows = examples.map(PrototypeScorer::unitRow);
    int slots = spark.sparkContext().defaultParallelism();
    if (rows.getNumPartitions() > slots) {
      rows = rows.coalesce(slots);
    }
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> unit = spark.createDataFrame(rows, FEATURE_SCHEMA);
      Prototypes prototypes = new Prototypes(centroids(cluster(unit, k)));
      return SspResult.tally(scoreAll(rows, prototypes), prototypes.unitCentroids(),
          stats.classCount());
    } finally {
      rows.unpersist(false);
    }
  }

  /** Assigns and scores every example on the executors, against broadcast centroids. */
  private List<ScoredExample> scoreAll(JavaRDD<Row> unit, Prototypes prototypes) {
    Broadcast<Prototypes> shared =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(prototypes);
    try {
      return unit.map(row -> scoreRow(row, shared.value())).collect();
    } finally {
      shared.destroy();
    }
  }

  private KMeansModel cluster(Dataset<Row> unit, int k) {
    return new KMeans()
        .setK(k)
        .setSeed(options.seed())
        .setMaxIter(options.maxIterations())
        .setTol(options.tolerance())
        .setDistanceMeasure("cosine")
        .setFeaturesCol(FEATURES)
        .fit(unit);
  }

  private static double[][] centroids(KMeansModel model) {
    Vector[] centers = model.clusterCenters();
    double[][] arrays = new double[centers.length][];
    for (int c = 0; c < centers.length; c++) {
      arrays[c] = centers[c].toArray();
    }
    return arrays;
  }

  private static Row unitRow(SspExample example) {
    float[] embedding = example.embedding();
    double[] values = new double[embedding.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = embedding[i];
    }
    double[] unit = Prototypes.unit(values, "embedding of example id " + example.id());
    return RowFactory.create(example.id(), example.label(), Vectors.dense(unit));
  }

  private static ScoredExample scoreRow(Row row, Prototypes prototypes) {
    double[] unit = row.<Vector>getAs(2).toArray();
    int cluster = prototypes.nearest(unit);
    return new ScoredExample(row.getLong(0), row.getInt(1), cluster,
        prototypes.score(unit, cluster), prototypes.secondScore(unit, cluster));
  }
}
