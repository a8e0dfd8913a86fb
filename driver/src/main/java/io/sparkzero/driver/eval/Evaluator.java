package io.sparkzero.driver.eval;

import io.sparkzero.driver.spark.SparkJobs;
import io.sparkzero.worker.adv.AttackOptions;
import io.sparkzero.worker.adv.PgdAttack;
import io.sparkzero.worker.data.LabeledExample;
import io.sparkzero.worker.data.MaskedPatches;
import io.sparkzero.worker.data.Objective;
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
 * partition counts a confusion matrix (classify) or sums the reconstruction loss (reconstruct),
 * the driver adds them up.
 */
public final class Evaluator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String model;
  private final long seed;
  private final int batchSize;
  private final Objective objective;

  /**
   * Evaluates {@code model} (built with {@code seed}) in batches of {@code batchSize} for the
   * job's {@code objective}; reconstruct masks each test image as training's first epoch would.
   */
  public Evaluator(String model, long seed, int batchSize, Objective objective) {
    this.model = model;
    this.seed = seed;
    this.batchSize = batchSize;
    this.objective = objective;
  }

  /**
   * Evaluates {@code params} on {@code test}, spread over {@code partitions} tasks.
   */
  public Result evaluate(SparkSession spark, JavaRDD<LabeledExample> test, float[] params, int partitions) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[]> shared = sc.broadcast(params);
    try {
      if (objective.reconstructs()) {
        double[] lossAndCount = SparkJobs.collect(spark.sparkContext(), test.repartition(partitions)
            .mapPartitions(rows -> List.of(reconstruction(rows, shared.value())).iterator()),
            "the evaluation").stream().reduce(Evaluator::add).orElseThrow();
        long n = (long) lossAndCount[1];
        return new Result(new long[0], 0, new Reconstruction(n, n == 0 ? Double.NaN : lossAndCount[0] / n));
      }
      long[] confusion = SparkJobs.collect(spark.sparkContext(), test.repartition(partitions)
          .mapPartitions(rows -> List.of(confusion(rows, shared.value())).iterator()),
          "the evaluation").stream().reduce(Evaluator::add).orElseThrow();
      return Result.of(confusion);
    } finally {
      shared.destroy();
    }
  }

  /**
   * Accuracy on {@code test} after each batch is perturbed by {@code attack} against {@code
   * params} (robust accuracy), spread over {@code partitions} tasks. Each batch's random start is
   * drawn from the job's seed and the batch's first example id, so a repeated evaluation attacks
   * the same way. The attack's passes run in training mode, as every input gradient here does
   * (batch norm uses the batch's statistics); the prediction runs in inference mode.
   */
  public Robust robust(SparkSession spark, JavaRDD<LabeledExample> test, float[] params, int partitions,
      AttackOptions attack) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[]> shared = sc.broadcast(params);
    try {
      long[] correctAndCount = SparkJobs.collect(spark.sparkContext(), test.repartition(partitions)
          .mapPartitions(rows -> List.of(attacked(rows, shared.value(), attack)).iterator()),
          "the robust evaluation").stream().reduce(Evaluator::add).orElseThrow();
      return new Robust(attack, correctAndCount[1], correctAndCount[0]);
    } finally {
      shared.destroy();
    }
  }

  /** {correct, examples} under the attack. */
  private long[] attacked(Iterator<LabeledExample> rows, float[] params, AttackOptions attack) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    PgdAttack pgd = new PgdAttack(attack);
    int d = net.numFeatures();
    int classes = net.numClasses();
    long[] counts = new long[2];
    forEachBatch(rows, batch -> {
      float[] y = new float[batch.size() * classes];
      for (int i = 0; i < batch.size(); i++) {
        y[i * classes + batch.get(i).label()] = 1f;
      }
      INDArray perturbed = pgd.perturb(net, Nd4j.create(features(batch, d), new long[] {batch.size(), d}, 'c'),
          Nd4j.create(y, new long[] {batch.size(), classes}, 'c'), seed * 1_000_003L + batch.get(0).id());
      INDArray predicted = net.output(perturbed).argMax(1);
      for (int i = 0; i < batch.size(); i++) {
        counts[0] += predicted.getInt(i) == batch.get(i).label() ? 1 : 0;
      }
      counts[1] += batch.size();
    });
    return counts;
  }

  private long[] confusion(Iterator<LabeledExample> rows, float[] params) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    int classes = net.numClasses();
    long[] counts = new long[classes * classes];
    forEachBatch(rows, batch -> count(net, batch, counts, classes));
    return counts;
  }

  /**
   * {summed per-example loss, examples}: each example's loss is the mean binary cross-entropy over
   * its pixels between the clean image and the network's output for the masked image.
   */
  private double[] reconstruction(Iterator<LabeledExample> rows, float[] params) {
    TrainableModel net = Models.create(model, seed);
    FlatFloats.copyFrom(params, net.params());
    int d = net.numFeatures();
    MaskedPatches mask = MaskedPatches.of(d, objective.maskRatio(), seed, 0);
    double[] sums = new double[2];
    forEachBatch(rows, batch -> {
      float[] clean = features(batch, d);
      float[] masked = clean.clone();
      for (int i = 0; i < batch.size(); i++) {
        mask.apply(batch.get(i).id(), masked, i * d);
      }
      float[] out = net.output(Nd4j.create(masked, new long[] {batch.size(), d}, 'c'))
          .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).data().asFloat();
      sums[0] += binaryCrossEntropy(clean, out) / d;
      sums[1] += batch.size();
    });
    return sums;
  }

  /** Summed binary cross-entropy of {@code predicted} (clipped off 0 and 1) against {@code target}. */
  static double binaryCrossEntropy(float[] target, float[] predicted) {
    double sum = 0;
    for (int i = 0; i < target.length; i++) {
      double p = Math.min(Math.max(predicted[i], 1e-7), 1 - 1e-7);
      sum -= target[i] * Math.log(p) + (1 - target[i]) * Math.log(1 - p);
    }
    return sum;
  }

  private static double[] add(double[] a, double[] b) {
    return new double[] {a[0] + b[0], a[1] + b[1]};
  }

  /** Hands {@code rows} to {@code body} in batches of {@code batchSize} (the last one shorter). */
  private void forEachBatch(Iterator<LabeledExample> rows, java.util.function.Consumer<List<LabeledExample>> body) {
    List<LabeledExample> batch = new ArrayList<>(batchSize);
    while (rows.hasNext()) {
      batch.add(rows.next());
      if (batch.size() == batchSize || !rows.hasNext()) {
        body.accept(batch);
        batch.clear();
      }
    }
  }

  /** The batch's features, row after row, {@code d} per example. */
  private static float[] features(List<LabeledExample> batch, int d) {
    float[] x = new float[batch.size() * d];
    for (int i = 0; i < batch.size(); i++) {
      System.arraycopy(batch.get(i).features(), 0, x, i * d, d);
    }
    return x;
  }

  private static void count(TrainableModel net, List<LabeledExample> batch, long[] counts, int classes) {
    int d = net.numFeatures();
    INDArray predicted = net.output(Nd4j.create(features(batch, d), new long[] {batch.size(), d}, 'c')).argMax(1);
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
   * A robust evaluation.
   *
   * @param attack the attack each test batch met
   * @param examples test examples
   * @param correct how many of them were still classified right
   */
  public record Robust(AttackOptions attack, long examples, long correct) implements Serializable {
    public double accuracy() {
      return examples == 0 ? Double.NaN : (double) correct / examples;
    }

    /** E.g. "PGD-10, untargeted, epsilon 0.0314". */
    public String describe() {
      return String.format("PGD-%d, %s, epsilon %.4f", attack.steps(), attack.targeted() ? "targeted" : "untargeted",
          attack.epsilon());
    }
  }

  /**
   * A reconstruction evaluation.
   *
   * @param examples test examples
   * @param loss mean over the examples of the per-pixel binary cross-entropy
   */
  public record Reconstruction(long examples, double loss) implements Serializable {}

  /**
   * A confusion matrix, row = true class, column = predicted class; or, for a reconstruct job,
   * the reconstruction loss (then the matrix is empty).
   *
   * @param confusion row-major counts
   * @param classes number of classes
   * @param reconstruction the reconstruction loss; null for a classify job
   */
  public record Result(long[] confusion, int classes, Reconstruction reconstruction) implements Serializable {
    static Result of(long[] confusion) {
      return new Result(confusion, (int) Math.round(Math.sqrt(confusion.length)), null);
    }

    /** Whether this is a reconstruct job's evaluation (no accuracy, a loss). */
    public boolean reconstructs() {
      return reconstruction != null;
    }

    /** The reconstruction loss; NaN for a classify job. */
    public double reconstructionLoss() {
      return reconstructs() ? reconstruction.loss() : Double.NaN;
    }

    public long examples() {
      if (reconstructs()) {
        return reconstruction.examples();
      }
      long n = 0;
      for (long c : confusion) {
        n += c;
      }
      return n;
    }

    /** Top-1 accuracy; NaN for a reconstruct job. */
    public double accuracy() {
      if (reconstructs()) {
        return Double.NaN;
      }
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
