package io.sparkzero.worker.train;

import io.sparkzero.worker.model.ParamTensor;
import io.sparkzero.worker.model.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Where a model's running statistics (batch-norm means and variances) sit in its flat vector, so
 * that a step can weigh one micro-batch's update of them ({@link MicroBatches#runningStatsWeight}):
 * DL4J writes that update into the statistics' gradient slots, and the optimizer subtracts the
 * slots' mean over the step's micro-batches.
 */
final class RunningStatSlots {
  private final long[] from;
  private final long[] to;

  private RunningStatSlots(long[] from, long[] to) {
    this.from = from;
    this.to = to;
  }

  static RunningStatSlots of(TrainableModel model) {
    List<ParamTensor> stats = new ArrayList<>();
    for (ParamTensor t : model.tensors()) {
      if (t.kind() == ParamTensor.Kind.RUNNING_STAT) {
        stats.add(t);
      }
    }
    long[] from = new long[stats.size()];
    long[] to = new long[stats.size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = stats.get(i).offset();
      to[i] = from[i] + stats.get(i).length();
    }
    return new RunningStatSlots(from, to);
  }

  /**
   * Multiplies the running-statistic slots of {@code gradient}, which holds the flat elements
   * {@code [origin, origin + gradient.length())}, by {@code factor}.
   */
  void scale(INDArray gradient, long origin, float factor) {
    INDArray flat = gradient.rank() == 1 ? gradient : gradient.reshape(gradient.length());
    long end = origin + flat.length();
    for (int i = 0; i < from.length; i++) {
      long a = Math.max(from[i], origin);
      long b = Math.min(to[i], end);
      if (a < b) {
        flat.get(NDArrayIndex.interval(a - origin, b - origin)).muli(factor);
      }
    }
  }
}
