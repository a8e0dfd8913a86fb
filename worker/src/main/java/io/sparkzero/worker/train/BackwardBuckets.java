package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.LayerHooks;
import io.sparkzero.worker.model.LayerwisePass;
import io.sparkzero.worker.model.TrainableModel;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * ZeRO stages 0 and 1 with the gradient reduction overlapped with the backward pass, DDP-style
 * ({@code zero.overlap}). The step's last micro-batch runs layer by layer ({@link LayerwisePass})
 * on the model's own parameter and gradient vectors; as soon as a layer's backward is done, its
 * part of the gradient is folded into the step's sum, and every one of the plan's gradient buckets
 * ({@link PartitionPlan#buckets()}: whole consecutive layers up to {@code zero.bucket-bytes}, in
 * backward order) that is now final is reduced on the {@link CommAgent} while DL4J computes the
 * layers below.
 *
 * <p>A bucket is reduced with the plan's shards, clipped to the bucket, as the ring's segments,
 * so every element is added over the ranks in the order the whole-vector reduction adds it: a
 * step gives the same bits with or without overlap. Earlier micro-batches of an accumulating step
 * run as before (their sum is not final until the last one's backward).
 */
final class BackwardBuckets {
  private final TrainableModel model;
  private final LayerwisePass pass;
  private final PartitionPlan plan;
  private final List<Range> buckets;
  private final int[][] bucketBounds;
  private final RunningStatSlots runningStats;
  private long queuedBeforeLastLayer; // training thread only

  private BackwardBuckets(TrainableModel model, LayerwisePass pass, PartitionPlan plan,
      RunningStatSlots runningStats) {
    this.model = model;
    this.pass = pass;
    this.plan = plan;
    this.buckets = plan.buckets();
    this.bucketBounds = new int[buckets.size()][];
    for (int b = 0; b < buckets.size(); b++) {
      Range bucket = buckets.get(b);
      int[] within = plan.boundsWithin(bucket);
      for (int r = 0; r < within.length; r++) {
        within[r] += bucket.from(); // the segments as offsets into the whole gradient
      }
      bucketBounds[b] = within;
    }
    this.runningStats = runningStats;
  }

  /**
   * The overlapped backward for {@code model}, or null where it cannot run one layer at a time
   * (not a DL4J network, frozen layers, truncated BPTT) or its layers are not the plan's: that
   * model reduces its whole gradient after the backward, as without overlap.
   *
   * <p>Call after the replica allocated the model's gradient vector: the pass binds each layer to
   * views of the model's own vectors as they are when it is built.
   */
  static BackwardBuckets of(TrainableModel model, PartitionPlan plan,
      RunningStatSlots runningStats) {
    LayerwisePass pass;
    try {
      pass = LayerwisePass.of(model);
    } catch (IllegalArgumentException notLayerwise) {
      return null;
    }
    if (pass.unitCount() != plan.layerCount()) {
      return null;
    }
    for (int k = 0; k < pass.unitCount(); k++) {
      Range layer = plan.layer(k);
      if (pass.unit(k).from() != layer.from() || pass.unit(k).to() != layer.to()) {
        return null;
      }
    }
    return new BackwardBuckets(model, pass, plan, runningStats);
  }

  /**
   * Runs {@code batch}'s forward and backward; after each layer's backward, weighs its
   * running-statistic slots by {@code statsWeight}, calls {@code fold} with the layer's range and
   * queues on {@code comm} the reduction of every bucket that is now final, in backward order, on
   * the block {@code summed} returns. Returns when the backward is done, with the last buckets'
   * reductions possibly still running: drain {@code comm} before reading the sum.
   *
   * @return the batch-mean loss
   */
  double computeGradient(LocalDataset.Batch batch, float statsWeight, Consumer<Range> fold,
      Supplier<FloatBlock> summed, BucketReduction reduction, CommAgent comm) {
    int[] next = {0};
    LayerHooks hooks = new LayerHooks() {
      @Override
      public void afterBackward(int unit) {
        Range layer = plan.layer(unit);
        if (statsWeight != 1f) {
          runningStats.scale(slice(model.gradientView(), layer), layer.from(), statsWeight);
        }
        fold.accept(layer);
        FloatBlock sum = summed.get();
        while (next[0] < buckets.size() && buckets.get(next[0]).from() >= layer.from()) {
          int[] bounds = bucketBounds[next[0]++];
          comm.submit("reduce gradient bucket", c -> reduction.reduce(c, sum, bounds));
          if (unit > 0) {
            queuedBeforeLastLayer++;
          }
        }
      }
    };
    double loss = pass.computeGradient(batch.features(), batch.labels(), hooks);
    if (next[0] != buckets.size()) {
      throw new IllegalStateException("the backward pass finished " + next[0] + " of "
          + buckets.size() + " gradient buckets of " + model.name());
    }
    return loss;
  }

  /**
   * The buckets queued for reduction, over all steps so far, while the backward still had layers
   * to compute: the reductions the pass made it possible to hide. How much of their time was
   * hidden depends on the scheduler and is measured as {@link StepTimes#hiddenCommNanos()}.
   */
  long queuedBeforeLastLayer() {
    return queuedBeforeLastLayer;
  }

  /** How a final bucket is reduced: the stage's all-reduce or reduce-scatter over its wire. */
  @FunctionalInterface
  interface BucketReduction {
    /** Reduces the segments {@code bounds} (offsets into the whole gradient) of {@code sum}. */
    void reduce(Collectives collectives, FloatBlock sum, int[] bounds);
  }

  /** The elements {@code range} of the flat vector {@code flat}, as a view (or itself). */
  static INDArray slice(INDArray flat, Range range) {
    if (range.from() == 0 && range.length() == flat.length()) {
      return flat;
    }
    return flat.get(NDArrayIndex.interval(range.from(), range.to()));
  }
}
