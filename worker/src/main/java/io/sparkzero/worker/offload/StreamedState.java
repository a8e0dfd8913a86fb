package io.sparkzero.worker.offload;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.worker.optim.OptimizerState;
import io.sparkzero.worker.optim.ShardStepper;
import io.sparkzero.worker.optim.StateTraffic;
import java.io.IOException;
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
 * <p>Between passes the store also serves {@link #fetch}es (reads of any range into a caller's
 * buffer, queued on the same loop: the stage-3 parameter shard is read this way ahead of each
 * layer's gather) and element-wise {@link #read}s and {@link #write}s, all on the I/O thread
 * through the last staging buffer, which remembers the block it holds, so consecutive accesses to
 * one block read the tier once.
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
  private int held = -1; // block in the last staging buffer between passes; the I/O thread's only
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

  /** Bytes read from and written to the tier so far. */
  public long readBytes() {
    return readBytes;
  }

  public long writtenBytes() {
    return writtenBytes;
  }

  @Override
  public void beginPass() {
    requireNoPass("a second pass over");
    passing = true;
    ahead = 0;
    io.submit("forget the held block", () -> held = -1); // the pass reuses its buffer
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
    requireNoPass("fetch from");
    return io.submit("fetch [" + from + ", " + (from + count) + ")", () -> walk(from, count,
        (block, inBlock, done, n) ->
            dst.copyFrom(hold(block).arrays[slot], inBlock, dstOffset + done, n)));
  }

  private void queueRead(int block) {
    Staging to = staging[block % staging.length];
    loaded[block % staging.length] = io.submit("read block " + block, () -> load(block, to));
  }

  private CompletableFuture<Void> queueWrite(int block) {
    Staging from = staging[block % staging.length];
    return io.submit("write block " + block, () -> store(block, from));
  }

  /** On the I/O thread: reads {@code block} from the tier into {@code to}, timed. */
  private void load(int block, Staging to) throws IOException {
    int floats = validFloats(block);
    long t0 = System.nanoTime();
    tier.load(block, to, floats);
    readNanos += System.nanoTime() - t0;
    readBytes += (long) slots * floats * Float.BYTES;
  }

  /** On the I/O thread: writes {@code from} to the tier as {@code block}, timed. */
  private void store(int block, Staging from) throws IOException {
    int floats = validFloats(block);
    long t0 = System.nanoTime();
    tier.store(block, from, floats);
    writeNanos += System.nanoTime() - t0;
    writtenBytes += (long) slots * floats * Float.BYTES;
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
    requireNoPass("read from");
    IoLoop.await(io.submit("read", () -> walk(from, count, (block, inBlock, done, n) ->
        System.arraycopy(hold(block).arrays[slot], inBlock, dst, dstOffset + done, n))));
  }

  @Override
  public void write(int slot, int from, float[] src, int srcOffset, int count) {
    requireNoPass("write to");
    IoLoop.await(io.submit("write", () -> walk(from, count, (block, inBlock, done, n) -> {
      Staging buffer = hold(block);
      System.arraycopy(src, srcOffset + done, buffer.arrays[slot], inBlock, n);
      store(block, buffer);
    })));
  }

  private void requireNoPass(String access) {
    if (passing) {
      throw new IllegalStateException(access + " " + name + " during a pass");
    }
  }

  /** One block's piece of a range: elements {@code [inBlock, inBlock + n)} of the block. */
  @FunctionalInterface
  private interface Piece {
    void accept(int block, int inBlock, int done, int n) throws IOException;
  }

  /** Calls {@code piece} for each block's part of elements {@code [from, from + count)}. */
  private void walk(int from, int count, Piece piece) throws IOException {
    int done = 0;
    while (done < count) {
      int element = from + done;
      int block = element / blockFloats;
      int inBlock = element - block * blockFloats;
      int n = Math.min(count - done, blockFloats - inBlock);
      piece.accept(block, inBlock, done, n);
      done += n;
    }
  }

  /**
   * On the I/O thread, between passes: the last staging buffer, holding {@code block}, read from
   * the tier unless it already holds it.
   */
  private Staging hold(int block) throws IOException {
    Staging buffer = staging[staging.length - 1];
    if (block != held) {
      held = -1;
      load(block, buffer);
      held = block;
    }
    return buffer;
  }

  @Override
  public void close() {
    io.close();
    tier.close();
  }
}
