package io.sparkzero.worker.data;

import java.util.Iterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A rank's data partition held in memory as one flat float array, the form from which batches are
 * cut without per-example objects.
 */
public final class LocalDataset {
  private final float[] features;
  private final int[] labels;
  private final long[] ids;
  private final int numFeatures;
  private final int numClasses;
  /** The rows of the arrays this dataset shows, in its order; null: all of them, as stored. */
  private final int[] rows;

  private LocalDataset(float[] features, int[] labels, long[] ids, int numFeatures, int numClasses,
      int[] rows) {
    this.features = features;
    this.labels = labels;
    this.ids = ids;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
    this.rows = rows;
  }

  /**
   * A dataset over these arrays (one example per label) that shows their rows in {@code order};
   * null shows them as stored. A streamed block is one: rows as read, shown in the block's
   * shuffled order without moving the features.
   */
  public static LocalDataset ordered(float[] features, int[] labels, long[] ids, int numFeatures,
      int numClasses, int[] order) {
    if (features.length != (long) labels.length * numFeatures || ids.length != labels.length) {
      throw new IllegalArgumentException(labels.length + " labels, " + ids.length + " ids and "
          + features.length + " feature values do not make examples of " + numFeatures);
    }
    return new LocalDataset(features, labels, ids, numFeatures, numClasses, order);
  }

  /**
   * Collects examples, ordered by id. Every example must have {@code numFeatures} features and a label in
   * {@code [0, numClasses)}; the sources validate this, here it is checked once more because a
   * wrong length would silently corrupt the neighbouring example.
   */
  public static LocalDataset collect(Iterator<LabeledExample> examples, int numFeatures, int numClasses) {
    FloatArrayBuilder feats = new FloatArrayBuilder(numFeatures * 1024);
    IntArrayBuilder labels = new IntArrayBuilder();
    java.util.ArrayList<Long> ids = new java.util.ArrayList<>();
    while (examples.hasNext()) {
      LabeledExample e = examples.next();
      check(e, numFeatures, numClasses);
      feats.add(e.features());
      labels.add(e.label());
      ids.add(e.id());
    }
    long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
    return sortedById(feats.toArray(), labels.toArray(), idArray, numFeatures, numClasses);
  }

  /**
   * Throws when {@code e} does not have {@code numFeatures} features and a label in {@code [0,
   * numClasses)}: the sources validate this, it is checked once more where examples become flat
   * arrays, because a wrong length would silently corrupt the neighbouring example.
   */
  static void check(LabeledExample e, int numFeatures, int numClasses) {
    if (e.features().length != numFeatures || e.label() < 0 || e.label() >= numClasses) {
      throw new IllegalArgumentException("example id " + e.id() + " has " + e.features().length
          + " features and label " + e.label() + "; expected " + numFeatures
          + " features and a label in [0, " + numClasses + ")");
    }
  }

  /**
   * The examples in id order. A Spark partition after a shuffle holds a fixed set of examples but
   * not in a fixed order (blocks from other executors arrive as they arrive); ordering by id makes
   * a rank's local data, and so its batches, the same in every run.
   */
  private static LocalDataset sortedById(float[] features, int[] labels, long[] ids,
      int numFeatures, int numClasses) {
    Integer[] order = new Integer[ids.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> ids[i]));
    float[] sortedFeatures = new float[features.length];
    int[] sortedLabels = new int[labels.length];
    long[] sortedIds = new long[ids.length];
    for (int i = 0; i < order.length; i++) {
      int from = order[i];
      System.arraycopy(features, from * numFeatures, sortedFeatures, i * numFeatures, numFeatures);
      sortedLabels[i] = labels[from];
      sortedIds[i] = ids[from];
    }
    return new LocalDataset(sortedFeatures, sortedLabels, sortedIds, numFeatures, numClasses, null);
  }

  /**
   * The examples whose ids {@code kept} holds, still in id order: a view that shares this
   * dataset's arrays, so pruning costs an index per kept example, not a copy of its features.
   * It always filters this dataset's full rows: a view of a view is a view of the whole.
   */
  public LocalDataset keeping(KeptIds kept) {
    int[] picked = new int[labels.length];
    int n = 0;
    for (int row = 0; row < labels.length; row++) {
      if (kept.contains(ids[row])) {
        picked[n++] = row;
      }
    }
    return new LocalDataset(features, labels, ids, numFeatures, numClasses,
        java.util.Arrays.copyOf(picked, n));
  }

  public int size() {
    return rows == null ? labels.length : rows.length;
  }

  private int row(int index) {
    return rows == null ? index : rows[index];
  }

  public int numFeatures() {
    return numFeatures;
  }

  public int numClasses() {
    return numClasses;
  }

  public long id(int index) {
    return ids[row(index)];
  }

  public int label(int index) {
    return labels[row(index)];
  }

  /** Fills a {@code [b, numFeatures]} feature matrix and a one-hot {@code [b, numClasses]} matrix. */
  public Batch batch(int[] indices) {
    int b = indices.length;
    float[] x = new float[b * numFeatures];
    float[] y = new float[b * numClasses];
    for (int i = 0; i < b; i++) {
      int row = row(indices[i]);
      System.arraycopy(features, row * numFeatures, x, i * numFeatures, numFeatures);
      y[i * numClasses + labels[row]] = 1f;
    }
    INDArray xs = Nd4j.create(x, new long[] {b, numFeatures}, 'c');
    INDArray ys = Nd4j.create(y, new long[] {b, numClasses}, 'c');
    return new Batch(xs, ys);
  }

  /** The features of the examples at {@code indices}, row after row ({@code [b * numFeatures]}). */
  public float[] features(int[] indices) {
    float[] x = new float[indices.length * numFeatures];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(features, row(indices[i]) * numFeatures, x, i * numFeatures, numFeatures);
    }
    return x;
  }

  /** One batch as ND4J arrays. */
  public record Batch(INDArray features, INDArray labels) {}

  private static final class FloatArrayBuilder {
    private float[] data;
    private int size;

    FloatArrayBuilder(int capacity) {
      data = new float[capacity];
    }

    void add(float[] values) {
      if (size + values.length > data.length) {
        data = java.util.Arrays.copyOf(data, Math.max(size + values.length, data.length * 2));
      }
      System.arraycopy(values, 0, data, size, values.length);
      size += values.length;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }

  private static final class IntArrayBuilder {
    private int[] data = new int[1024];
    private int size;

    void add(int value) {
      if (size == data.length) {
        data = java.util.Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = value;
    }

    int[] toArray() {
      return java.util.Arrays.copyOf(data, size);
    }
  }
}
