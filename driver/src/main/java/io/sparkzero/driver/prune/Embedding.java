package io.sparkzero.driver.prune;

import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.worker.data.LabeledExample;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * What SSP clusters: each example's vector. Chosen once from {@code pruning.embedding}; the
 * orchestrator calls {@link #embed} and closes it when the scores are in, which releases what
 * the executors were sent.
 */
interface Embedding extends AutoCloseable {

  /** The examples as SSP reads them; lazy, like any RDD. */
  JavaRDD<SspExample> embed(JavaRDD<LabeledExample> examples);

  @Override
  void close();

  /**
   * The embedding {@code spec} names, checked against the data's {@code numFeatures} on the
   * driver before any Spark work on the examples.
   */
  static Embedding of(SparkSession spark, String spec, int numFeatures) {
    if (spec.equals(PruningOptionSpecs.PIXELS)) {
      return new Pixels();
    }
    return ModelEmbedding.load(spark, spec, numFeatures);
  }

  /** The raw features as they are: the baseline a learned embedding has to beat. */
  final class Pixels implements Embedding {
    @Override
    public JavaRDD<SspExample> embed(JavaRDD<LabeledExample> examples) {
      return examples.map(e -> new SspExample(e.id(), e.label(), e.features()));
    }

    @Override
    public void close() {}
  }
}
