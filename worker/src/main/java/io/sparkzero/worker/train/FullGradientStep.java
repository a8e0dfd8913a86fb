package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.ParamChunks;
import io.sparkzero.worker.optim.PieceExchange;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StepReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ZeRO stages 0 and 1: every rank keeps the full parameters and the full gradient in DL4J's own
 * native vectors, and the collectives and the optimizer work on them in place (no copies).
 *
 * <ul>
 *   <li>stage 0: all-reduce the gradient, every rank updates every parameter with full
 *       optimizer state. The all-reduce's ring segments are the plan's shards and the norms are
 *       summed per shard ({@link io.sparkzero.worker.optim.StatPieces}), so stage 0 adds every
 *       number in the order the sharded stages do and ends with their parameters, bit for bit;
 *   <li>stage 1: reduce-scatter the gradient (a rank needs the sum only over its shard), update
 *       the shard with the shard's optimizer state, all-gather the parameters. Same bytes moved
 *       as an all-reduce (which is a reduce-scatter plus an all-gather), 1/N of the state.
 * </ul>
 */
final class FullGradientStep implements StageStep {
  private final TrainableModel model;
  private final boolean sharded;
  private final ShardStepper stepper;
  private final FloatBlock params;
  private final FloatBlock grads;
  private final int[] shardBounds;
  private final Range region;
  private final Range shard;
  private final float[] loss = new float[1];
  private INDArray accumulated; // gradient accumulation: the micro-batches' summed gradient
  private FloatBlock accumulatedBlock;

  FullGradientStep(TrainableModel model, ZeroStage stage, PartitionPlan plan, int rank,
      ShardStepper stepper) {
    this.model = model;
    this.sharded = stage.shardsOptimizerState();
    this.stepper = stepper;
    this.params = FlatFloats.block(model.params());
    this.grads = FlatFloats.block(model.gradientView());
    this.shardBounds = plan.shardBounds();
    this.shard = plan.shard(rank);
    this.region = sharded ? shard : new Range(0, plan.numParams());
  }

  @Override
  public ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate) {
    long t0 = System.nanoTime();
    int micro = batches.count();
    FloatBlock summed = micro == 1 ? grads : accumulator();
    double lossSum = 0;
    for (int i = 0; i < micro; i++) {
      LocalDataset.Batch batch = batches.get(i);
      lossSum += model.computeGradient(batch.features(), batch.labels());
      if (micro > 1) {
        if (i == 0) {
          accumulated.assign(model.gradientView());
        } else {
          accumulated.addi(model.gradientView());
        }
      }
    }
    loss[0] = (float) lossSum;
    long t1 = System.nanoTime();
    if (sharded) {
      collectives.reduceScatterSum(summed, shardBounds);
    } else {
      collectives.allReduceSum(summed, shardBounds); // each element added as stage 1 adds it
    }
    collectives.allReduceSum(loss, 0, 1);
    long t2 = System.nanoTime();
    float inv = 1f / ((float) collectives.worldSize() * micro);
    PieceExchange exchange = sharded ? PieceExchange.allGather(collectives) : PieceExchange.LOCAL;
    StepReport report = stepper.step(ParamChunks.of(params, 0), summed, 0, inv, learningRate,
        exchange);
    long t3 = System.nanoTime();
    if (sharded) {
      collectives.allGather(params, shardBounds);
    }
    long t4 = System.nanoTime();
    StepTimes times = new StepTimes(t1 - t0, 0, (t2 - t1) + (t4 - t3), t3 - t2, 0);
    return new ZeroTrainer.StepOutcome(loss[0] * inv, times, report);
  }

  /**
   * The buffer micro-batch gradients are summed in (DL4J's gradient view is overwritten by every
   * backward), taken at the first accumulating step: as large as the gradient.
   */
  private FloatBlock accumulator() {
    if (accumulated == null) {
      accumulated = Nd4j.zeros(DataType.FLOAT, model.gradientView().length());
      accumulatedBlock = FlatFloats.block(accumulated);
    }
    return accumulatedBlock;
  }

  @Override
  public ShardStepper stepper() {
    return stepper;
  }

  @Override
  public void copyShardParams(float[] dst) {
    params.copyTo(shard.from(), dst, 0, shard.length());
  }

  @Override
  public Range heldParams() {
    return new Range(0, params.length());
  }

  @Override
  public void readParams(int from, float[] dst, int offset, int count) {
    params.copyTo(from, dst, offset, count);
  }

  @Override
  public void writeParams(int from, float[] src, int offset, int count) {
    params.copyFrom(src, offset, from, count);
  }

  @Override
  public long paramHash() {
    return ParamHash.of(params, 0, params.length());
  }

  @Override
  public void broadcastParams(Collectives collectives, int root) {
    collectives.broadcast(params, 0, params.length(), root);
  }

  @Override
  public ModelStateBytes stateBytes() {
    long accumulatorElements = accumulated == null ? 0 : accumulated.length();
    return new ModelStateBytes(model.heldParamElements() * Float.BYTES,
        (model.heldGradientElements() + accumulatorElements) * Float.BYTES, stepper.state().memoryBytes(),
        2L * ShardStepper.CHUNK_FLOATS * Float.BYTES, model.heldParamElements() * Float.BYTES);
  }
}
