package io.sparkzero.driver.prune;

import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.ssp.RandomProjection;
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
   * driver before any Spark work on the examples; {@code training} is the model being trained
   * when train prunes (null in prune), which {@code training#<layer>} reads.
   */
  static Embedding of(SparkSession spark, String spec, int numFeatures, TrainingModel training) {
    if (spec.equals(PruningOptionSpecs.PIXELS)) {
      return new Pixels();
    }
    if (spec.startsWith(PruningOptionSpecs.TRAINING_PREFIX)) {
      if (training == null) {
        throw new PruningException(PruningOptionSpecs.EMBEDDING_KEY, spec + " names the model being trained,"
            + " which only train's pruning has; prune takes pixels or model:<uri>#<layer>");
      }
      return ModelEmbedding.of(spark, training.modelFile(), spec.substring(
          PruningOptionSpecs.TRAINING_PREFIX.length()), training.describe(), numFeatures);
    }
    return ModelEmbedding.load(spark, spec, numFeatures);
  }

  /**
   * {@code inner}, with every embedding wider than {@code dims} projected to {@code dims}
   * dimensions ({@link RandomProjection}, drawn from {@code seed}); {@code dims} 0: {@code inner}.
   */
  static Embedding projected(Embedding inner, int dims, long seed) {
    if (dims <= 0) {
      return inner;
    }
    return new Embedding() {
      @Override
      public JavaRDD<SspExample> embed(JavaRDD<LabeledExample> examples) {
        return inner.embed(examples).mapPartitions(part -> {
          java.util.Map<Integer, RandomProjection> byWidth = new java.util.HashMap<>();
          java.util.List<SspExample> out = new java.util.ArrayList<>();
          while (part.hasNext()) {
            SspExample e = part.next();
            int width = e.embedding().length;
            out.add(width <= dims ? e : new SspExample(e.id(), e.label(),
                byWidth.computeIfAbsent(width, w -> RandomProjection.of(seed, w, dims)).apply(e.embedding())));
          }
          return out.iterator();
        });
      }

      @Override
      public void close() {
        inner.close();
      }
    };
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
