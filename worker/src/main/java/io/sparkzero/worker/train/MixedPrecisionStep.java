package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.plan.PartitionPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.sharding.plan.ZeroStage;
import io.sparkzero.worker.data.LocalDataset;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.PieceExchange;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StepReport;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ZeRO stages 0 and 1 with mixed precision: DL4J computes in 16-bit floats (parameters,
 * activations, gradients: a {@code HALF} network), the optimizer keeps fp32 master parameters
 * over its region (everything at stage 0, the rank's shard at stage 1) and updates them from
 * fp32 gradients.
 *
 * <p>A step: the output loss's gradient is multiplied by the loss scale S; each micro-batch's
 * 16-bit gradient is summed into one fp32 buffer; the buffer is all-reduced (stage 0) or
 * reduce-scattered (stage 1) in fp32; the stepper divides by N x micro-batches x S, skips the step
 * on every rank if any gradient is inf or NaN (a 16-bit overflow), and updates the master
 * parameters. Stage 0 then casts its master to the 16-bit copy; stage 1 copies its master shard
 * into the same fp32 buffer, all-gathers it and casts the whole vector. Checkpoints read and
 * write the master values, so a resumed run continues from exact fp32 parameters.
 */
final class MixedPrecisionStep implements StageStep {
  private final TrainableModel model;
  private final boolean sharded;
  private final ShardStepper stepper;
  private final int[] shardBounds;
  private final Range shard;
  private final HalfReplica replica; // the 16-bit replica and the fp32 master of the region
  private final INDArray buffer; // fp32, as long as the model: gradient sum, then all-gather
  private final FloatBlock bufferBlock;
  private final float[] loss = new float[1];

  MixedPrecisionStep(TrainableModel model, ZeroStage stage, PartitionPlan plan, int rank,
      ShardStepper stepper) {
    this.model = model;
    this.sharded = stage.shardsOptimizerState();
    this.stepper = stepper;
    this.shardBounds = plan.shardBounds();
    this.shard = plan.shard(rank);
    this.replica = new HalfReplica(model, sharded ? shard : new Range(0, plan.numParams()));
    this.buffer = Nd4j.zeros(DataType.FLOAT, plan.numParams());
    this.bufferBlock = FlatFloats.block(buffer);
    model.gradientView();
  }

  @Override
  public ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate) {
    return step(batches, collectives, learningRate, 1f);
  }

  @Override
  public ZeroTrainer.StepOutcome step(MicroBatches batches, Collectives collectives,
      float learningRate, float lossScale) {
    long t0 = System.nanoTime();
    model.setLossScale(lossScale);
    int micro = batches.count();
    double lossSum = 0;
    for (int i = 0; i < micro; i++) {
      LocalDataset.Batch batch = batches.get(i);
      lossSum += model.computeGradient(batch.features(), batch.labels());
      INDArray gradient = model.gradientView().castTo(DataType.FLOAT);
      if (i == 0) {
        buffer.assign(gradient);
      } else {
        buffer.addi(gradient);
      }
    }
    loss[0] = (float) lossSum;
    long t1 = System.nanoTime();
    if (sharded) {
      collectives.reduceScatterSum(bufferBlock, shardBounds);
    } else {
      collectives.allReduceSum(bufferBlock, shardBounds); // each element added as stage 1 adds it
    }
    collectives.allReduceSum(loss, 0, 1);
    long t2 = System.nanoTime();
    float inv = 1f / ((float) collectives.worldSize() * micro * lossScale);
    PieceExchange exchange = sharded ? PieceExchange.allGather(collectives) : PieceExchange.LOCAL;
    StepReport report = stepper.step(replica.chunks(), bufferBlock, 0, inv,
        learningRate, exchange);
    long t3 = System.nanoTime();
    if (report.applied()) {
      publishMaster(collectives);
    }
    long t4 = System.nanoTime();
    StepTimes times = new StepTimes(t1 - t0, 0, (t2 - t1) + (t4 - t3), t3 - t2, 0);
    return new ZeroTrainer.StepOutcome(loss[0] / ((float) collectives.worldSize() * micro), times,
        report);
  }

  /** Makes the 16-bit copy on every rank the cast of the (all-gathered) master parameters. */
  private void publishMaster(Collectives collectives) {
    if (sharded) {
      replica.master().copyTo(0, bufferBlock, shard.from(), shard.length());
      collectives.allGather(bufferBlock, shardBounds);
      replica.publish(buffer, 0);
    } else {
      replica.publishWhole();
    }
  }

  @Override
  public ShardStepper stepper() {
    return stepper;
  }

  @Override
  public void copyShardParams(float[] dst) {
    readParams(shard.from(), dst, 0, shard.length());
  }

  @Override
  public Range heldParams() {
    return new Range(0, (int) model.numParams());
  }

  @Override
  public void readParams(int from, float[] dst, int offset, int count) {
    replica.read(from, dst, offset, count);
  }

  @Override
  public void writeParams(int from, float[] src, int offset, int count) {
    replica.write(from, src, offset, count);
  }

  @Override
  public long paramHash() {
    return replica.hash();
  }

  @Override
  public void broadcastParams(Collectives collectives, int root) {
    replica.broadcast(collectives, root);
  }

  @Override
  public ModelStateBytes stateBytes() {
    long half = 2L * model.heldParamElements();
    long gradHalf = 2L * model.heldGradientElements();
    return new ModelStateBytes(half, gradHalf + 4L * buffer.length(),
        stepper.state().memoryBytes() + replica.masterBytes(),
        2L * ShardStepper.CHUNK_FLOATS * Float.BYTES, half);
  }
}
