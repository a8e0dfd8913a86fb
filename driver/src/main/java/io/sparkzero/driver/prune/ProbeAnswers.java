package io.sparkzero.driver.prune;

import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.pruning.supervised.El2n;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.Models;
import io.sparkzero.worker.model.TrainableModel;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One probe epoch's answers on the training data: for each example, whether the network
 * classifies it correctly and its EL2N score. A forward pass spread over the executors, as the
 * {@code Evaluator} does it: the parameters are broadcast, each partition builds the network with
 * {@code Models.create} and copies them in, and sends back three numbers per example. A class, not
 * a record, because Spark's Kryo sends it back and cannot set a record's final fields.
 */
final class ProbeAnswers implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] ids;
  private final boolean[] correct;
  private final double[] el2n;

  private ProbeAnswers(long[] ids, boolean[] correct, double[] el2n) {
    this.ids = ids;
    this.correct = correct;
    this.el2n = el2n;
  }

  /**
   * The answers of the network {@code model} with {@code params} on {@code examples}, on the
   * driver in id order.
   */
  static ProbeAnswers of(SparkSession spark, JavaRDD<LabeledExample> examples, String model, long seed,
      float[] params, int batchSize) {
    Broadcast<float[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(params);
    try {
      List<ProbeAnswers> parts = SparkJobs.collect(spark.sparkContext(), examples.mapPartitions(
          rows -> List.of(answer(rows, model, seed, shared.value(), batchSize)).iterator()), "the probe's forward pass");
      return inIdOrder(parts);
    } finally {
      shared.destroy();
    }
  }

  /** Whether example row {@code i} (in id order) was classified correctly. */
  boolean[] correct() {
    return correct.clone();
  }

  /** Each example's EL2N score, in id order. */
  double[] el2n() {
    return el2n.clone();
  }

  /** The ids, ascending. */
  long[] ids() {
    return ids.clone();
  }

  private static ProbeAnswers answer(Iterator<LabeledExample> rows, String model, long seed, float[] params,
      int batchSize) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    List<LabeledExample> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    long[] ids = new long[all.size()];
    boolean[] correct = new boolean[all.size()];
    double[] el2n = new double[all.size()];
    int d = net.numFeatures();
    for (int start = 0; start < all.size(); start += batchSize) {
      int n = Math.min(batchSize, all.size() - start);
      float[] x = new float[n * d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(all.get(start + i).features(), 0, x, i * d, d);
      }
      float[][] probabilities = net.output(Nd4j.create(x, new long[] {n, d}, 'c'))
          .castTo(DataType.FLOAT).toFloatMatrix();
      for (int i = 0; i < n; i++) {
        LabeledExample e = all.get(start + i);
        ids[start + i] = e.id();
        correct[start + i] = El2n.correct(probabilities[i], e.label());
        el2n[start + i] = El2n.score(probabilities[i], e.label());
      }
    }
    return new ProbeAnswers(ids, correct, el2n);
  }

  private static ProbeAnswers inIdOrder(List<ProbeAnswers> parts) {
    int n = parts.stream().mapToInt(p -> p.ids.length).sum();
    long[] ids = new long[n];
    boolean[] correct = new boolean[n];
    double[] el2n = new double[n];
    int at = 0;
    for (ProbeAnswers p : parts) {
      System.arraycopy(p.ids, 0, ids, at, p.ids.length);
      System.arraycopy(p.correct, 0, correct, at, p.ids.length);
      System.arraycopy(p.el2n, 0, el2n, at, p.ids.length);
      at += p.ids.length;
    }
    int[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingLong(i -> ids[i]))
        .mapToInt(Integer::intValue).toArray();
    boolean[] sortedCorrect = new boolean[n];
    double[] sortedEl2n = new double[n];
    for (int r = 0; r < n; r++) {
      sortedCorrect[r] = correct[order[r]];
      sortedEl2n[r] = el2n[order[r]];
    }
    long[] sortedIds = Arrays.stream(order).mapToLong(i -> ids[i]).toArray();
    return new ProbeAnswers(sortedIds, sortedCorrect, sortedEl2n);
  }
}
