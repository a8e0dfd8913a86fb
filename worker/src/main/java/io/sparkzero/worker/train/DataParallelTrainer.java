package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.OptimizerOptions;
import io.sparkzero.worker.optim.RegionUpdate;
import io.sparkzero.worker.optim.ShardOptimizer;

/**
 * One rank's synchronous data-parallel training (ZeRO stage 0): every rank holds the full
 * parameters and optimizer state, gradients are averaged with an all-reduce, and every rank
 * applies the same update, so parameters stay identical across ranks after every step.
 *
 * <p>The flat arrays are the source of truth between steps; the model's ND4J vector is refreshed
 * from them after each update.
 */
public final class DataParallelTrainer {
  private final TrainableModel model;
  private final ShardOptimizer optimizer;
  private final RegionUpdate region;
  private final float[] params;
  private final float[] grads;
  private final float[] loss = new float[1];
  private final float learningRate;

  /**
   * A trainer whose parameters start as the model's current parameters.
   */
  public DataParallelTrainer(TrainableModel model, OptimizerOptions options) {
    this.model = model;
    int n = Math.toIntExact(model.numParams());
    this.params = new float[n];
    this.grads = new float[n];
    FlatFloats.copyTo(model.params(), params);
    this.region = RegionUpdate.of(model.tensors(), 0, n);
    this.optimizer = options.create(0, n);
    this.learningRate = (float) options.learningRate();
  }

  public TrainableModel model() {
    return model;
  }

  public ShardOptimizer optimizer() {
    return optimizer;
  }

  /** The flat parameters (live; identical on every rank between steps). */
  public float[] params() {
    return params;
  }

  /** Pushes the flat parameters into the model, after they were replaced from outside. */
  public void syncModelFromParams() {
    FlatFloats.copyFrom(params, model.params());
  }

  /**
   * Runs one synchronous step on this rank's batch.
   *
   * @return the loss averaged over all ranks' batches, and where the time went
   */
  public StepOutcome step(LocalDataset.Batch batch, Collectives collectives) {
    int n = params.length;
    long t0 = System.nanoTime();
    loss[0] = (float) model.computeGradient(batch.features(), batch.labels());
    long t1 = System.nanoTime();
    FlatFloats.copyTo(model.gradientView(), grads);
    long t2 = System.nanoTime();
    collectives.allReduceSum(grads, 0, n);
    collectives.allReduceSum(loss, 0, 1);
    long t3 = System.nanoTime();
    float inv = 1f / collectives.worldSize();
    for (int i = 0; i < n; i++) {
      grads[i] *= inv;
    }
    optimizer.step(params, grads, region, learningRate);
    long t4 = System.nanoTime();
    FlatFloats.copyFrom(params, model.params());
    long t5 = System.nanoTime();
    StepTimes times = new StepTimes(t1 - t0, (t2 - t1) + (t5 - t4), t3 - t2, t4 - t3, 0);
    return new StepOutcome(loss[0] * inv, times);
  }

  /** Result of one step. */
  public record StepOutcome(double meanLoss, StepTimes times) {}
}
