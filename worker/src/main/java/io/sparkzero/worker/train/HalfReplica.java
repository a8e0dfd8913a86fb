package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.Collectives;
import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.model.TrainableModel;
import io.sparkzero.worker.optim.ParamChunks;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A rank's whole 16-bit parameter replica (DL4J's {@code HALF} vector, which the network computes
 * with) and the fp32 master parameters of the region its optimizer updates: everything at stage
 * 0, its shard at stages 1 and 2. The master holds the values training continues from; the
 * replica is their 16-bit rounding, refreshed by the stage after each applied step. Reads and
 * writes by flat index (checkpoints) see the master inside the region and the widened replica
 * outside it.
 */
final class HalfReplica implements ReplicaVector {
  private final TrainableModel model;
  private final Range region;
  private final INDArray master;
  private final FloatBlock masterBlock;

  /** The master of {@code region}, starting from the replica's (16-bit) values. */
  HalfReplica(TrainableModel model, Range region) {
    if (!model.halfPrecision()) {
      throw new IllegalArgumentException("model " + model.name() + " is not 16-bit");
    }
    this.model = model;
    this.region = region;
    this.master = model.params().get(NDArrayIndex.interval(region.from(), region.to()))
        .castTo(DataType.FLOAT);
    this.masterBlock = FlatFloats.block(master);
  }

  Range region() {
    return region;
  }

  /** The fp32 master values; element 0 is flat element {@code region().from()}. */
  FloatBlock master() {
    return masterBlock;
  }

  /** The master as the optimizer's parameter chunks. */
  @Override
  public ParamChunks chunks() {
    return ParamChunks.of(masterBlock, region.from());
  }

  /** DL4J's 16-bit vector as the collectives see it. */
  HalfBlock halves() {
    return FlatFloats.halfBlock(model.params());
  }

  /** Sets the replica to the 16-bit rounding of the whole master (stage 0: region = all). */
  void publishWhole() {
    model.params().assign(master);
  }

  /** Rounds fp32 {@code values} (flat elements from {@code from}) into the replica. */
  void publish(INDArray values, int from) {
    model.params().get(NDArrayIndex.interval(from, from + values.length())).assign(values);
  }

  /** The master values inside the region, the replica's (widened) outside it. */
  @Override
  public void read(int from, float[] dst, int offset, int count) {
    for (int i = 0; i < count; ) {
      int at = from + i;
      if (at >= region.from() && at < region.to()) {
        int n = Math.min(count - i, region.to() - at);
        masterBlock.copyTo(at - region.from(), dst, offset + i, n);
        i += n;
      } else {
        int end = at < region.from() ? Math.min(from + count, region.from()) : from + count;
        INDArray part = model.params().get(NDArrayIndex.interval(at, end)).castTo(DataType.FLOAT);
        FlatFloats.block(part).copyTo(0, dst, offset + i, end - at);
        part.close();
        i += end - at;
      }
    }
  }

  /** Overwrites the replica (rounded) and, inside the region, the master. */
  @Override
  public void write(int from, float[] src, int offset, int count) {
    INDArray values = Nd4j.createFromArray(java.util.Arrays.copyOfRange(src, offset,
        offset + count));
    publish(values, from);
    values.close();
    int lo = Math.max(from, region.from());
    int hi = Math.min(from + count, region.to());
    if (lo < hi) {
      masterBlock.copyFrom(src, offset + lo - from, lo - region.from(), hi - lo);
    }
  }

  /** Over the replica (widened), which every rank holds whole and equal. */
  @Override
  public long hash() {
    INDArray widened = model.params().castTo(DataType.FLOAT);
    FloatBlock block = FlatFloats.block(widened);
    long hash = ParamHash.of(block, 0, block.length());
    widened.close();
    return hash;
  }

  /** The root's fp32 values (its master inside its region) travel whole; every rank takes them. */
  @Override
  public void broadcast(Collectives collectives, int root) {
    float[] all = new float[(int) model.numParams()];
    if (collectives.rank() == root) {
      read(0, all, 0, all.length);
    }
    collectives.broadcast(all, 0, all.length, root);
    write(0, all, 0, all.length);
  }

  /** Bytes of the fp32 master. */
  long masterBytes() {
    return 4L * master.length();
  }
}
