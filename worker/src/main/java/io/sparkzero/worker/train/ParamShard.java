package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.plan.OffloadPlan;
import io.sparkzero.sharding.plan.Range;
import io.sparkzero.worker.concurrent.TaskLoop;
import io.sparkzero.worker.model.FlatFloats;
import io.sparkzero.worker.offload.OffloadException;
import io.sparkzero.worker.offload.OffloadOptions;
import io.sparkzero.worker.offload.OptimizerStates;
import io.sparkzero.worker.offload.StreamedState;
import io.sparkzero.worker.optim.ParamChunks;
import java.util.concurrent.CompletableFuture;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stage-3 rank's own slice of the parameters, the only copy of them that persists between
 * steps, in the tier {@code offload.params} names: a native array ({@code none}) or an offloaded
 * store ({@code host}, {@code nvme}). Chosen once when the rank starts; the step reads the shard
 * for gathers through {@link #fetch} and updates it through {@link #chunks}. Only the training
 * thread calls it.
 */
abstract class ParamShard implements AutoCloseable {
  final Range shard;

  private ParamShard(Range shard) {
    this.shard = shard;
  }

  /**
   * The shard of {@code full} (the flat parameter vector) in the tier {@code offload} names.
   *
   * @param owner names the shard's files and threads
   */
  static ParamShard create(FloatBlock full, Range shard, OffloadOptions offload, String owner) {
    if (offload.plan().params() == OffloadPlan.Tier.NONE) {
      return new InMemory(full, shard);
    }
    return new Offloaded(full, shard, OptimizerStates.params(offload, owner, shard.length()));
  }

  /** The shard as the optimizer's parameter chunks (flat element indices). */
  abstract ParamChunks chunks();

  /**
   * Starts copying shard elements {@code [offset, offset + count)} (0 = the shard's first) into
   * {@code dst}; the returned action finishes the copy and is run by the thread that then uses
   * {@code dst} (the comm agent's, just before the layer's all-gather). An offloaded shard's read
   * is queued on its I/O loop here, ahead of the gather.
   */
  abstract Runnable fetch(int offset, FloatBlock dst, int dstOffset, int count);

  /**
   * As {@link #fetch(int, FloatBlock, int, int)} into a 16-bit block, each element rounded: through
   * a temporary fp32 array of {@code count} elements (the rank's part of one layer), which a shard
   * in memory does without.
   */
  Runnable fetch(int offset, HalfBlock dst, int dstOffset, int count) {
    FloatBlock wide = FloatBlock.of(new float[count]);
    Runnable read = fetch(offset, wide, 0, count);
    return () -> {
      read.run();
      dst.roundFrom(wide, 0, dstOffset, count);
    };
  }

  /** Copies shard elements {@code [offset, offset + count)} into {@code dst[at..]}. */
  abstract void read(int offset, float[] dst, int at, int count);

  /** Overwrites shard elements {@code [offset, offset + count)} from {@code src[at..]}. */
  abstract void write(int offset, float[] src, int at, int count);

  /** {@link ParamHash} of the shard. */
  abstract long hash();

  /** Bytes the shard keeps in the rank's memory. */
  abstract long memoryBytes();

  @Override
  public abstract void close();

  /** The shard in one native array. */
  private static final class InMemory extends ParamShard {
    private final INDArray array;
    private final FloatBlock block;

    InMemory(FloatBlock full, Range shard) {
      super(shard);
      this.array = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, shard.length()));
      this.block = FlatFloats.block(array);
      full.copyTo(shard.from(), block, 0, shard.length());
    }

    @Override
    ParamChunks chunks() {
      return ParamChunks.of(block, shard.from());
    }

    @Override
    Runnable fetch(int offset, FloatBlock dst, int dstOffset, int count) {
      return () -> block.copyTo(offset, dst, dstOffset, count);
    }

    @Override
    Runnable fetch(int offset, HalfBlock dst, int dstOffset, int count) {
      return () -> dst.roundFrom(block, offset, dstOffset, count);
    }

    @Override
    void read(int offset, float[] dst, int at, int count) {
      block.copyTo(offset, dst, at, count);
    }

    @Override
    void write(int offset, float[] src, int at, int count) {
      block.copyFrom(src, at, offset, count);
    }

    @Override
    long hash() {
      return ParamHash.of(block, 0, shard.length());
    }

    @Override
    long memoryBytes() {
      return (long) shard.length() * Float.BYTES;
    }

    @Override
    public void close() {
      array.close();
    }
  }

  /** The shard as a one-array offloaded store, streamed like the optimizer state. */
  private static final class Offloaded extends ParamShard {
    private static final int COPY_FLOATS = 1 << 20;
    private final StreamedState store;
    private final ParamChunks chunks;

    Offloaded(FloatBlock full, Range shard, StreamedState store) {
      super(shard);
      this.store = store;
      this.chunks = ParamChunks.of(store, shard.from());
      float[] chunk = new float[Math.min(COPY_FLOATS, Math.max(1, shard.length()))];
      for (int at = 0; at < shard.length(); at += chunk.length) {
        int n = Math.min(chunk.length, shard.length() - at);
        full.copyTo(shard.from() + at, chunk, 0, n);
        store.write(0, at, chunk, 0, n);
      }
    }

    @Override
    ParamChunks chunks() {
      return chunks;
    }

    @Override
    Runnable fetch(int offset, FloatBlock dst, int dstOffset, int count) {
      CompletableFuture<Void> read = store.fetch(0, offset, dst, dstOffset, count);
      return () -> TaskLoop.await(read, "the parameter shard's read",
          cause -> new OffloadException(cause.getMessage(), cause));
    }

    @Override
    void read(int offset, float[] dst, int at, int count) {
      store.read(0, offset, dst, at, count);
    }

    @Override
    void write(int offset, float[] src, int at, int count) {
      store.write(0, offset, src, at, count);
    }

    @Override
    long hash() {
      ParamHash.Running hash = new ParamHash.Running();
      float[] chunk = new float[Math.min(COPY_FLOATS, Math.max(1, shard.length()))];
      for (int at = 0; at < shard.length(); at += chunk.length) {
        int n = Math.min(chunk.length, shard.length() - at);
        store.read(0, at, chunk, 0, n);
        hash.add(chunk, n);
      }
      return hash.value();
    }

    @Override
    long memoryBytes() {
      return store.memoryBytes();
    }

    @Override
    public void close() {
      store.close();
    }
  }
}
