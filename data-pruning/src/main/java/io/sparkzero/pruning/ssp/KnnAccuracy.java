package io.sparkzero.pruning.ssp;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How well an embedding separates the classes, without training a classifier: each test example
 * takes the majority label of its {@code k} most cosine-similar training examples (ties: the
 * larger summed similarity, then the smaller label), and the share of test examples labelled
 * right is the embedding's k-NN accuracy (Wu et al. 2018's check of self-supervised features).
 * Pruning clusters the embedding, so one that beats raw pixels here is worth clustering.
 *
 * <p>Computed on the executors: the test embeddings, L2-normalised, are broadcast in blocks of at
 * most {@value #BLOCK_FLOATS} floats; each training partition multiplies its normalised rows
 * against a block with ND4J and keeps every test example's {@code k} best; the partitions' lists
 * are merged pairwise ({@code treeAggregate}), and the driver votes. The training data never
 * leaves the executors.
 */
public final class KnnAccuracy {
  /** Test floats per broadcast block: 16 MiB, small for any executor. */
  static final int BLOCK_FLOATS = 4 << 20;
  /** Training rows multiplied at once: bounds the similarity matrix a task holds. */
  private static final int TRAIN_CHUNK_ROWS = 2048;

  private KnnAccuracy() {}

  /**
   * What the check found.
   *
   * @param k neighbours per test example
   * @param testExamples test examples classified
   * @param accuracy share classified right, in [0, 1]
   */
  public record Result(int k, long testExamples, double accuracy) {}

  /**
   * The k-NN accuracy of {@code test} against {@code train}; every test example needs a label,
   * and both sides the same embedding length. Throws {@link IllegalArgumentException} otherwise,
   * or when {@code train} has fewer than {@code k} examples.
   */
  public static Result measure(JavaSparkContext sc, JavaRDD<SspExample> train, JavaRDD<SspExample> test,
      int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k " + k + " is below 1");
    }
    List<SspExample> queries = test.collect();
    if (queries.isEmpty()) {
      throw new IllegalArgumentException("the test data has no examples");
    }
    int dim = queries.get(0).embedding().length;
    for (SspExample q : queries) {
      if (!q.hasLabel() || q.embedding().length != dim) {
        throw new IllegalArgumentException("test example id " + q.id() + (q.hasLabel()
            ? " has " + q.embedding().length + " embedding values, the first " + dim
            : " has no label; k-NN accuracy needs labelled test data"));
      }
    }
    JavaRDD<Row> rows = train.map(e -> Row.of(e, dim)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long trainCount = rows.count();
      if (trainCount < k) {
        throw new IllegalArgumentException(trainCount + " training examples are fewer than k = " + k);
      }
      int blockRows = Math.max(1, BLOCK_FLOATS / Math.max(1, dim));
      long correct = 0;
      for (int from = 0; from < queries.size(); from += blockRows) {
        List<SspExample> block = queries.subList(from, Math.min(queries.size(), from + blockRows));
        Neighbours found = nearest(sc, rows, normalised(block, dim), block.size(), dim, k);
        for (int i = 0; i < block.size(); i++) {
          correct += found.vote(i) == block.get(i).label() ? 1 : 0;
        }
      }
      return new Result(k, queries.size(), (double) correct / queries.size());
    } finally {
      rows.unpersist(false);
    }
  }

  /** Every row of the test block's {@code k} nearest training rows, over all partitions. */
  private static Neighbours nearest(JavaSparkContext sc, JavaRDD<Row> train, float[] block, int blockSize,
      int dim, int k) {
    Broadcast<float[]> shared = sc.broadcast(block);
    try {
      return train.mapPartitions(part -> List.of(partition(part, shared.value(), blockSize, dim, k))
              .iterator())
          .treeAggregate(new Neighbours(blockSize, k), Neighbours::merge, Neighbours::merge);
    } finally {
      shared.destroy();
    }
  }

  private static Neighbours partition(Iterator<Row> part, float[] block, int blockSize, int dim, int k) {
    Neighbours found = new Neighbours(blockSize, k);
    INDArray queries = Nd4j.create(block, new long[] {blockSize, dim}, 'c');
    List<Row> chunk = new ArrayList<>(TRAIN_CHUNK_ROWS);
    while (part.hasNext()) {
      chunk.add(part.next());
      if (chunk.size() == TRAIN_CHUNK_ROWS || !part.hasNext()) {
        float[] x = new float[chunk.size() * dim];
        for (int j = 0; j < chunk.size(); j++) {
          System.arraycopy(chunk.get(j).unit(), 0, x, j * dim, dim);
        }
        INDArray keys = Nd4j.create(x, new long[] {chunk.size(), dim}, 'c');
        float[] sims = queries.mmul(keys.transpose()).dup('c').data().asFloat(); // [block, chunk]
        for (int i = 0; i < blockSize; i++) {
          for (int j = 0; j < chunk.size(); j++) {
            found.offer(i, sims[i * chunk.size() + j], chunk.get(j).id(), chunk.get(j).label());
          }
        }
        chunk.clear();
      }
    }
    return found;
  }

  /** The block's embeddings, each scaled to unit length (a zero vector stays zero), row after row. */
  private static float[] normalised(List<SspExample> block, int dim) {
    float[] out = new float[block.size() * dim];
    for (int i = 0; i < block.size(); i++) {
      System.arraycopy(unit(block.get(i).embedding()), 0, out, i * dim, dim);
    }
    return out;
  }

  static float[] unit(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    float[] out = v.clone();
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < out.length; i++) {
        out[i] *= scale;
      }
    }
    return out;
  }

  /** A training example, normalised once and kept so for every test block. */
  record Row(long id, int label, float[] unit) implements java.io.Serializable {
    static Row of(SspExample e, int dim) {
      if (e.embedding().length != dim) {
        throw new IllegalArgumentException("training example id " + e.id() + " has "
            + e.embedding().length + " embedding values, the test examples " + dim);
      }
      return new Row(e.id(), e.label(), KnnAccuracy.unit(e.embedding()));
    }
  }
}
