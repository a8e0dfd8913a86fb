package io.sparkzero.driver.eval;

import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.model.FlatFloats;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Test-set evaluation spread over the executors: the trained parameters are broadcast, each
 * partition counts a confusion matrix, the driver adds them up.
 */
public final class Evaluator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final long seed;
  private final int batchSize;

  public Evaluator(String model, long seed, int batchSize) {
    this.model = model;
    this.seed = seed;
    this.batchSize = batchSize;
  }

  /**
   * Evaluates {@code params} on {@code test}, spread over {@code partitions} tasks.
   */
  public Result evaluate(SparkSession spark, JavaRDD<LabeledExample> test, float[] params, int partitions) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[]> shared = sc.broadcast(params);
    try {
      long[] confusion = SparkJobs.collect(spark.sparkContext(), test.repartition(partitions)
          .mapPartitions(rows -> List.of(confusion(rows, shared.value())).iterator()),
          "the evaluation").stream().reduce(Evaluator::add).orElseThrow();
      return Result.of(confusion);
    } finally {
      shared.destroy();
    }
  }

  private long[] confusion(Iterator<LabeledExample> rows, float[] params) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    int classes = net.numClasses();
    long[] counts = new long[classes * classes];
    List<LabeledExample> batch = new ArrayList<>(batchSize);
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == batchSize || !rows.hasNext()) {
        count(net, batch, counts, classes);
        batch.clear();
      }
    }
    return counts;
  }

  private static void count(TrainableModel net, List<LabeledExample> batch, long[] counts, int classes) {
    int d = net.numFeatures();
    float[] x = new float[batch.size() * d];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).features(), 0, x, i * d, d);
    }
    INDArray predicted = net.output(Nd4j.create(x, new long[] {batch.size(), d}, 'c')).argMax(1);
    for (int i = 0; i < batch.size(); i++) {
      counts[batch.get(i).label() * classes + predicted.getInt(i)]++;
    }
  }

  private static long[] add(long[] a, long[] b) {
    long[] sum = a.clone();
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b[i];
    }
    return sum;
  }

  /**
   * A confusion matrix, row = true class, column = predicted class.
   *
   * @param confusion row-major counts
   * @param classes number of classes
   */
  public record Result(long[] confusion, int classes) implements Serializable {
    static Result of(long[] confusion) {
      return new Result(confusion, (int) Math.round(Math.sqrt(confusion.length)));
    }

    public long examples() {
      long n = 0;
      for (long c : confusion) {
        n += c;
      }
      return n;
    }

    public double accuracy() {
      long correct = 0;
      for (int i = 0; i < classes; i++) {
        correct += confusion[i * classes + i];
      }
      return examples() == 0 ? 0 : (double) correct / examples();
    }

    /** Accuracy on each class's examples, by class; NaN for a class with no test examples. */
    public double[] perClassAccuracy() {
      double[] accuracy = new double[classes];
      for (int i = 0; i < classes; i++) {
        long total = 0;
        for (int j = 0; j < classes; j++) {
          total += confusion[i * classes + j];
        }
        accuracy[i] = total == 0 ? Double.NaN : (double) confusion[i * classes + i] / total;
      }
      return accuracy;
    }
  }
}
