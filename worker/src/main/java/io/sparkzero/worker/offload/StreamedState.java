package io.sparkzero.worker.offload;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StateTraffic;
import java.util.concurrent.CompletableFuture;

/**
 * Optimizer state kept in a {@link BlockTier} (host memory or a disk) and streamed through {@code
 * K} staging buffers during the optimizer's pass: while the optimizer updates block i, the rank's
 * {@link IoLoop} reads blocks i+1 .. i+K-2 ahead and writes block i-1 back, so the pass waits on
 * the tier only when the tier is slower than the update.
 *
 * <p>Block b always uses staging buffer {@code b mod K}. The read of block b+K-2 is queued when
 * the pass enters block b, after the write-back of block b-2 (queued when it entered b-1), which
 * used the same buffer; the loop runs transfers in order, so no read overwrites a buffer whose
 * write-back has not been done.
 *
 * <p>Between passes the store also serves {@link #fetch}es: reads of any range into a caller's
 * buffer, queued on the same loop (the stage-3 parameter shard is read this way ahead of each
 * layer's gather). They go through the last staging buffer, which remembers the block it holds,
 * so consecutive fetches from one block read the tier once.
 */
public final class StreamedState implements OptimizerState {
  private final BlockTier tier;
  private final int slots;
  private final int length;
  private final int blockFloats;
  private final int blocks;
  private final Staging[] staging;
  private final IoLoop io;
  private final CompletableFuture<Void>[] loaded;
  private final Window window = new Window();
  private final String name;
  private boolean passing;
  private int current = -1;
  private int ahead;
  private int fetched = -1; // block in the last staging buffer for fetches; the I/O thread's only
  private volatile long readBytes; // the four written by the I/O thread only
  private volatile long readNanos;
  private volatile long writtenBytes;
  private volatile long writeNanos;

  /**
   * @param stagingBuffers K >= 3 (the plan's count: more than the blocks would only idle)
   * @param blockFloats elements of each slot per block, a multiple of {@link
   *     ShardStepper#CHUNK_FLOATS}
   */
  @SuppressWarnings("unchecked")
  StreamedState(String name, BlockTier tier, int slots, int length, int blockFloats,
      int stagingBuffers) {
    if (stagingBuffers < 3) {
      throw new IllegalArgumentException("offload.buffer-count must be >= 3, got " + stagingBuffers);
    }
    if (blockFloats % ShardStepper.CHUNK_FLOATS != 0) {
      throw new IllegalArgumentException("block of " + blockFloats + " floats is not a multiple of"
          + " the optimizer's chunk of " + ShardStepper.CHUNK_FLOATS);
    }
    this.name = name;
    this.tier = tier;
    this.slots = slots;
    this.length = length;
    this.blockFloats = blockFloats;
    this.blocks = Math.max(1, (length + blockFloats - 1) / blockFloats);
    this.staging = new Staging[stagingBuffers];
    for (int i = 0; i < staging.length; i++) {
      staging[i] = new Staging(slots, blockFloats, tier.ioAlignBytes());
    }
    this.loaded = new CompletableFuture[staging.length];
    this.io = new IoLoop("spark-zero-offload-" + name);
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public long memoryBytes() {
    long stagingBytes = 0;
    for (Staging s : staging) {
      stagingBytes += s.bytes();
    }
    return tier.memoryBytes() + stagingBytes;
  }

  /** Bytes of state on disk (0 for the host tier). */
  public long diskBytes() {
    return tier.diskBytes();
  }

  /** Bytes read from and written to the tier by passes so far. */
  public long readBytes() {
    return readBytes;
  }

  public long writtenBytes() {
    return writtenBytes;
  }

  @Override
  public void beginPass() {
    if (passing) {
      throw new IllegalStateException("a pass over " + name + " is already running");
    }
    passing = true;
    ahead = 0;
    io.submit("forget the fetched block", () -> fetched = -1); // the pass reuses its buffer
    while (ahead < Math.min(blocks, staging.length - 2)) {
      queueRead(ahead++);
    }
  }

  @Override
  public Window window(int element, int count) {
    int block = element / blockFloats;
    if (element - block * blockFloats + count > blockFloats) {
      throw new IllegalArgumentException("chunk [" + element + ", " + (element + count)
          + ") crosses a block boundary of " + blockFloats);
    }
    if (block != current) {
      if (current >= 0) {
        queueWrite(current);
      }
      current = block;
      if (block >= ahead) { // a pass that skipped blocks: read this one now
        ahead = block;
        queueRead(ahead++);
      }
      IoLoop.await(loaded[block % staging.length]);
      if (ahead < blocks) {
        queueRead(ahead++);
      }
    }
    return window.point(staging[block % staging.length].arrays, element - block * blockFloats);
  }

  @Override
  public void endPass() {
    if (current >= 0) {
      IoLoop.await(queueWrite(current));
      current = -1;
    }
    passing = false;
    IoLoop.await(io.submit("end of pass", () -> {})); // reads queued ahead but never used
  }

  /**
   * Queues a read of elements {@code [from, from + count)} of slot {@code slot} into {@code
   * dst[dstOffset, dstOffset + count)}; {@code dst} must not be touched until the returned future
   * completes. Only between passes.
   */
  public CompletableFuture<Void> fetch(int slot, int from, FloatBlock dst, int dstOffset,
      int count) {
    if (passing) {
      throw new IllegalStateException("fetch from " + name + " during a pass");
    }
    Staging buffer = staging[staging.length - 1];
    return io.submit("fetch [" + from + ", " + (from + count) + ")", () -> {
      int done = 0;
      while (done < count) {
        int element = from + done;
        int block = element / blockFloats;
        int inBlock = element - block * blockFloats;
        int n = Math.min(count - done, blockFloats - inBlock);
        if (block != fetched) {
          fetched = -1;
          long t0 = System.nanoTime();
          tier.load(block, buffer, validFloats(block));
          readNanos += System.nanoTime() - t0;
          readBytes += (long) slots * validFloats(block) * Float.BYTES;
          fetched = block;
        }
        dst.copyFrom(buffer.arrays[slot], inBlock, dstOffset + done, n);
        done += n;
      }
    });
  }

  private void queueRead(int block) {
    Staging to = staging[block % staging.length];
    int floats = validFloats(block);
    loaded[block % staging.length] = io.submit("read block " + block, () -> {
      long t0 = System.nanoTime();
      tier.load(block, to, floats);
      readNanos += System.nanoTime() - t0;
      readBytes += (long) slots * floats * Float.BYTES;
    });
  }

  private CompletableFuture<Void> queueWrite(int block) {
    Staging from = staging[block % staging.length];
    int floats = validFloats(block);
    return io.submit("write block " + block, () -> {
      long t0 = System.nanoTime();
      tier.store(block, from, floats);
      writeNanos += System.nanoTime() - t0;
      writtenBytes += (long) slots * floats * Float.BYTES;
    });
  }

  @Override
  public StateTraffic traffic() {
    return new StateTraffic(readBytes, readNanos, writtenBytes, writeNanos);
  }

  private int validFloats(int block) {
    return Math.min(blockFloats, length - block * blockFloats);
  }

  @Override
  public void read(int slot, int from, float[] dst, int dstOffset, int count) {
    copy(slot, from, dst, dstOffset, count, false);
  }

  @Override
  public void write(int slot, int from, float[] src, int srcOffset, int count) {
    copy(slot, from, src, srcOffset, count, true);
  }

  /** Element-wise access outside a pass, block by block through staging buffer 0. */
  private void copy(int slot, int from, float[] array, int offset, int count, boolean store) {
    if (passing) {
      throw new IllegalStateException("state of " + name + " copied during a pass");
    }
    Staging buffer = staging[0];
    int done = 0;
    while (done < count) {
      int element = from + done;
      int block = element / blockFloats;
      int inBlock = element - block * blockFloats;
      int n = Math.min(count - done, blockFloats - inBlock);
      int floats = validFloats(block);
      int at = done;
      IoLoop.await(io.submit("load block " + block, () -> tier.load(block, buffer, floats)));
      if (store) {
        System.arraycopy(array, offset + at, buffer.arrays[slot], inBlock, n);
        IoLoop.await(io.submit("store block " + block, () -> {
          fetched = -1; // the tier's copy changed
          tier.store(block, buffer, floats);
        }));
      } else {
        System.arraycopy(buffer.arrays[slot], inBlock, array, offset + at, n);
      }
      done += n;
    }
  }

  @Override
  public void close() {
    io.close();
    tier.close();
  }
}
