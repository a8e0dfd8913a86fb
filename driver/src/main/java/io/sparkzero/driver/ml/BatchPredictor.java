package io.sparkzero.driver.ml;

import io.sparkzero.driver.data.IdxRecord;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Predicts one partition on an executor, {@link #BATCH} rows per forward pass: each row comes
 * back with its first {@code columns} values, then the likeliest class and the class
 * probabilities. The network is read once per partition from the broadcast model file.
 */
final class BatchPredictor implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;
  /** Rows per forward pass. */
  static final int BATCH = 256;

  private final Broadcast<byte[]> network;
  private final boolean bytes;
  private final int numFeatures;
  private final int numClasses;
  private final int columns;

  /**
   * @param bytes whether the features column (the row's last) holds unsigned bytes, else floats
   * @param columns how many of the row's values are the input's own (the features follow them)
   */
  BatchPredictor(Broadcast<byte[]> network, boolean bytes, int numFeatures, int numClasses,
      int columns) {
    this.network = network;
    this.bytes = bytes;
    this.numFeatures = numFeatures;
    this.numClasses = numClasses;
    this.columns = columns;
  }

  /** A network from a DL4J model file's bytes. */
  static TrainableModel load(byte[] modelFile) {
    try {
      return Models.load(new java.io.ByteArrayInputStream(modelFile));
    } catch (IOException e) {
      throw new UncheckedIOException("reading the model's network: " + e.getMessage(), e);
    }
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return rows;
    }
    TrainableModel net = load(network.value());
    return new Iterator<>() {
      private Iterator<Row> batch = List.<Row>of().iterator();
      private long row; // of this partition

      @Override
      public boolean hasNext() {
        return batch.hasNext() || rows.hasNext();
      }

      @Override
      public Row next() {
        if (!batch.hasNext()) {
          if (!rows.hasNext()) {
            throw new NoSuchElementException();
          }
          batch = predict(net, rows, row).iterator();
        }
        row++;
        return batch.next();
      }
    };
  }

  /** The next batch of {@code rows}, predicted; {@code first} is its first row's position. */
  private List<Row> predict(TrainableModel net, Iterator<Row> rows, long first) {
    List<Row> in = new ArrayList<>(BATCH);
    while (in.size() < BATCH && rows.hasNext()) {
      in.add(rows.next());
    }
    float[] features = new float[in.size() * numFeatures];
    for (int i = 0; i < in.size(); i++) {
      float[] row = features(in.get(i), first + i);
      System.arraycopy(row, 0, features, i * numFeatures, numFeatures);
    }
    INDArray output = net.output(Nd4j.create(features, new long[] {in.size(), numFeatures}, 'c'));
    float[][] probabilities = output.toFloatMatrix();
    List<Row> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      Object[] values = new Object[columns + 2];
      for (int c = 0; c < columns; c++) {
        values[c] = in.get(i).get(c);
      }
      double[] p = new double[numClasses];
      int best = 0;
      for (int k = 0; k < numClasses; k++) {
        p[k] = probabilities[i][k];
        best = p[k] > p[best] ? k : best;
      }
      values[columns] = (double) best;
      values[columns + 1] = Vectors.dense(p);
      out.add(RowFactory.create(values));
    }
    return out;
  }

  private float[] features(Row row, long position) {
    Object value = row.get(columns);
    int length = value == null ? -1 : bytes ? ((byte[]) value).length : row.getList(columns).size();
    if (length != numFeatures) {
      TaskContext task = TaskContext.get();
      throw new IllegalArgumentException("row " + position + " of partition "
          + (task == null ? "?" : task.partitionId()) + ": the features "
          + (value == null ? "are null" : "have " + length + " values") + ", the model takes "
          + numFeatures);
    }
    if (bytes) {
      return IdxRecord.scale((byte[]) value);
    }
    List<Float> values = row.getList(columns);
    float[] out = new float[numFeatures];
    for (int i = 0; i < numFeatures; i++) {
      Float v = values.get(i);
      if (v == null) {
        throw new IllegalArgumentException("row " + position + ": features element " + i
            + " is null");
      }
      out[i] = v;
    }
    return out;
  }
}
