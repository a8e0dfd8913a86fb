package io.sparkzero.driver.prune;

import io.sparkzero.pruning.PruningException;
import io.sparkzero.pruning.PruningOptionSpecs;
import io.sparkzero.pruning.ssp.RandomProjection;
import io.sparkzero.pruning.ssp.SspExample;
import io.sparkzero.worker.data.LabeledExample;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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
   * A model's layer is projected inside its forward pass, each batch's activations multiplied
   * where they are; anything else, batch by batch after it.
   */
  static Embedding projected(Embedding inner, int dims, long seed) {
    if (dims <= 0) {
      return inner;
    }
    if (inner instanceof ModelEmbedding model) {
      return model.projected(dims, seed);
    }
    return new Embedding() {
      @Override
      public JavaRDD<SspExample> embed(JavaRDD<LabeledExample> examples) {
        return inner.embed(examples).mapPartitions(part -> projectAll(part, dims, seed));
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  /** Examples per matrix product when projecting. */
  int PROJECTION_BATCH = 512;

  /**
   * {@code part} with every embedding wider than {@code dims} projected, in batches of equal width
   * (one matrix product each), in the order given.
   */
  private static Iterator<SspExample> projectAll(Iterator<SspExample> part, int dims,
      long seed) {
    Map<Integer, RandomProjection> byWidth = new HashMap<>();
    List<SspExample> out = new ArrayList<>();
    List<SspExample> batch = new ArrayList<>(PROJECTION_BATCH);
    while (part.hasNext()) {
      SspExample e = part.next();
      if (!batch.isEmpty() && batch.get(0).embedding().length != e.embedding().length) {
        project(batch, dims, seed, byWidth, out);
      }
      batch.add(e);
      if (batch.size() == PROJECTION_BATCH) {
        project(batch, dims, seed, byWidth, out);
      }
    }
    project(batch, dims, seed, byWidth, out);
    return out.iterator();
  }

  /** Projects {@code batch} (all of one width) into {@code out}, then empties it. */
  private static void project(List<SspExample> batch, int dims, long seed,
      Map<Integer, RandomProjection> byWidth, List<SspExample> out) {
    if (batch.isEmpty()) {
      return;
    }
    int width = batch.get(0).embedding().length;
    if (width <= dims) {
      out.addAll(batch);
    } else {
      float[][] rows = new float[batch.size()][];
      for (int i = 0; i < rows.length; i++) {
        rows[i] = batch.get(i).embedding();
      }
      float[][] projected = byWidth.computeIfAbsent(width, w -> RandomProjection.of(seed, w, dims)).applyAll(rows);
      for (int i = 0; i < rows.length; i++) {
        out.add(new SspExample(batch.get(i).id(), batch.get(i).label(), projected[i]));
      }
    }
    batch.clear();
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
