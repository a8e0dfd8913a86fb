package io.sparkzero.driver.prune;

import io.sparkzero.driver.data.LoadedData;
import io.sparkzero.driver.options.JobOptions;
import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.ssp.KnnAccuracy;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Whether the job's embedding is worth clustering: the k-NN accuracy ({@link KnnAccuracy}) of the
 * test data against the training data in that embedding and in raw pixels, side by side. SSP's
 * prototypes only mean something where neighbours in the embedding share a class; an embedding
 * that does no better than pixels here will not prune better than pixels either.
 *
 * @param k neighbours per test example
 * @param testExamples test examples classified
 * @param embedding the embedding checked ({@code pruning.embedding})
 * @param embeddingAccuracy its k-NN accuracy
 * @param pixelsAccuracy the raw features' k-NN accuracy
 * @param seconds wall time of both measurements, embedding the data included
 */
public record KnnCheck(int k, long testExamples, String embedding, double embeddingAccuracy,
    double pixelsAccuracy, double seconds) {

  /** Neighbours per test example, as in Wu et al. 2018 (their 200 is for ImageNet's 1000 classes). */
  static final int K = 20;

  /**
   * Measures {@code embeddingSpec} (projected as ssp clusters it, {@code projectionDims} from
   * {@code seed}; 0: not projected) and pixels on {@code test} against {@code train}.
   */
  static KnnCheck run(SparkSession spark, String embeddingSpec, int projectionDims, long seed, LoadedData train,
      LoadedData test) {
    if (test.numFeatures() != train.numFeatures()) {
      throw new PruningException(JobOptions.DATA_TEST.key(), "the test data has " + test.numFeatures()
          + " features, the training data " + train.numFeatures() + "; the k-NN check ("
          + PruningOptionSpecs.KNN_CHECK_KEY + ") compares them in one space: give matching data or"
          + " set " + PruningOptionSpecs.KNN_CHECK_KEY + "=false");
    }
    long t0 = System.nanoTime();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    KnnAccuracy.Result pixels = measure(sc, new Embedding.Pixels(), train, test);
    KnnAccuracy.Result embedded = embeddingSpec.equals(PruningOptionSpecs.PIXELS) && projectionDims == 0 ? pixels
        : measure(sc, Embedding.projected(Embedding.of(spark, embeddingSpec, train.numFeatures(), null),
            projectionDims, seed), train, test);
    String name = projectionDims == 0 ? embeddingSpec : embeddingSpec + " projected to " + projectionDims;
    return new KnnCheck(K, embedded.testExamples(), name, embedded.accuracy(),
        pixels.accuracy(), (System.nanoTime() - t0) / 1e9);
  }

  /** The console's line, e.g. {@code ... 0.8712 (model:...#embedding) vs 0.8407 (pixels)}. */
  public String line() {
    return String.format(Locale.ROOT, "embedding k-NN accuracy (cosine, k=%d) on %d test examples:"
        + " %.4f (%s) vs %.4f (pixels)", k, testExamples, embeddingAccuracy, embedding, pixelsAccuracy);
  }

  private static KnnAccuracy.Result measure(JavaSparkContext sc, Embedding embedding, LoadedData train,
      LoadedData test) {
    try (Embedding e = embedding) {
      return KnnAccuracy.measure(sc, e.embed(train.examples()), e.embed(test.examples()), K);
    } catch (IllegalArgumentException e) {
      throw new PruningException(PruningOptionSpecs.KNN_CHECK_KEY, "the k-NN check cannot run: "
          + e.getMessage());
    }
  }
}
