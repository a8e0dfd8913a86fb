package io.sparkzero.pruning.ssp;

import java.io.Serializable;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;

/**
 * An example as {@link PrototypeScorer} caches it between k-means and scoring: its id, label and
 * L2-normalised embedding, held as the dense vector MLlib reads (no copy per k-means pass).
 */
record UnitExample(long id, int label, Vector vector) implements Serializable {

  /** {@code example} with its embedding widened to doubles and normalised. */
  static UnitExample of(SspExample example) {
    float[] embedding = example.embedding();
    double[] values = new double[embedding.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = embedding[i];
    }
    double[] unit = Prototypes.unit(values, "embedding of example id " + example.id());
    return new UnitExample(example.id(), example.label(), Vectors.dense(unit));
  }

  /** This example assigned to its nearest prototype and scored against it. */
  ScoredExample scored(Prototypes prototypes) {
    double[] unit = vector.toArray();
    int cluster = prototypes.nearest(unit);
    return new ScoredExample(id, label, cluster, prototypes.score(unit, cluster),
        prototypes.secondScore(unit, cluster));
  }
}
