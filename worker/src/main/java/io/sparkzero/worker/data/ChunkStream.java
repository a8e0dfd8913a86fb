package io.sparkzero.worker.data;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reader loop of a streamed epoch, on its own thread: reads the rank's chunks in order
 * (again from the first when the share runs out before the epoch's examples do, as a held
 * partition wraps around), keeps the pruned-in examples, cuts them into blocks of the shuffle
 * window, orders each block by its seed, and hands the blocks over through a bounded queue. The
 * training thread talks to it only through that queue and {@link #close()}.
 */
final class ChunkStream implements AutoCloseable {

  /** A block of the epoch's order: its examples, from stream position {@code start} on. */
  record Block(long start, LocalDataset examples) {
    long end() {
      return start + examples.size();
    }
  }

  /** The reader's failure, handed over in the block's place. */
  private record Failure(RuntimeException error) {}

  /** Ends a chunk's read early (the epoch has its examples, or the stream closes). */
  private static final class Stop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Stop() {
      super(null, null, false, false);
    }
  }

  private final StreamPlan plan;
  private final List<ExampleChunk> share;
  private final KeptIds kept;
  private final long needed;
  private final long seed;
  private final String who;
  private final BlockingQueue<Object> ready;
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong readNanos = new AtomicLong();
  private final AtomicLong readExamples = new AtomicLong();
  /** Time the reader waited for room in the queue: not reading. */
  private final AtomicLong putWaitNanos = new AtomicLong();
  private final Thread thread;
  private volatile boolean stopping;

  /**
   * Starts reading.
   *
   * @param share the chunks this rank reads this epoch, in order
   * @param kept the examples to keep (data pruning); null keeps all
   * @param needed the examples the epoch trains on
   * @param seed the seed of this rank's epoch, from which each block's order is drawn
   * @param who the rank and epoch, for messages and the thread's name
   */
  ChunkStream(StreamPlan plan, List<ExampleChunk> share, KeptIds kept, long needed, long seed,
      String who) {
    this.plan = plan;
    this.share = share;
    this.kept = kept;
    this.needed = needed;
    this.seed = seed;
    this.who = who;
    this.ready = new ArrayBlockingQueue<>(plan.blocksAhead());
    this.thread = new Thread(this::run, "spark-zero stream " + who);
    thread.setDaemon(true);
    thread.start();
  }

  /** The next block, waiting for the reader; its failure is thrown here, on the caller's thread. */
  Block next() {
    Object item;
    try {
      item = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(who + ": interrupted waiting for the data stream", e);
    }
    if (item instanceof Failure failure) {
      ready.offer(failure); // a later call fails alike
      throw failure.error();
    }
    return (Block) item;
  }

  long skippedRecords() {
    return skipped.get();
  }

  /** Examples read per second of the reader's own time (waits for room excluded); 0 before any. */
  double readExamplesPerS() {
    long nanos = readNanos.get();
    return nanos == 0 ? 0 : readExamples.get() * 1e9 / nanos;
  }

  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      read();
    } catch (Stop stop) {
      // closed
    } catch (RuntimeException e) {
      ready.clear();
      ready.offer(new Failure(e));
    } catch (Error e) {
      ready.clear();
      ready.offer(new Failure(new IllegalStateException(who + ": the data stream failed: " + e, e)));
    }
  }

  private void read() {
    BlockBuilder block = new BlockBuilder(0);
    long taken = 0;
    while (taken < needed) {
      long passStart = taken;
      for (ExampleChunk chunk : share) {
        long before = block.start + block.size;
        long t0 = System.nanoTime();
        long waitedBefore = putWaitNanos.get();
        try {
          skipped.addAndGet(chunk.read(example -> {
            if (stopping) {
              throw new Stop();
            }
            if (kept == null || kept.contains(example.id())) {
              block.add(example);
              if (block.start + block.size == needed) {
                throw new Stop();
              }
              if (block.full()) {
                block.handOver();
              }
            }
          }));
        } catch (Stop stop) {
          if (stopping) {
            throw stop;
          }
        } finally {
          readNanos.addAndGet(System.nanoTime() - t0 - (putWaitNanos.get() - waitedBefore));
          readExamples.addAndGet(block.start + block.size - before);
        }
        taken = block.start + block.size;
        if (taken == needed) {
          block.handOver();
          return;
        }
      }
      if (taken == passStart) {
        throw new IllegalStateException(who + ": none of this rank's " + share.size()
            + " chunk(s) holds an example to train on" + (kept == null ? ""
                : " (data pruning kept " + kept.size() + " examples, all elsewhere); keep a"
                    + " larger pruning.fraction or use fewer ranks"));
      }
    }
  }

  /** The block being filled; hands itself over when full and starts the next. */
  private final class BlockBuilder {
    long start;
    int size;
    int index;
    float[] features;
    int[] labels;
    long[] ids;

    BlockBuilder(long start) {
      reset(start);
    }

    private void reset(long from) {
      start = from;
      size = 0;
      int capacity = (int) Math.min(plan.windowExamples(), needed - from);
      features = new float[capacity * plan.numFeatures()];
      labels = new int[capacity];
      ids = new long[capacity];
    }

    boolean full() {
      return size == labels.length;
    }

    void add(LabeledExample e) {
      LocalDataset.check(e, plan.numFeatures(), plan.numClasses());
      System.arraycopy(e.features(), 0, features, size * plan.numFeatures(), plan.numFeatures());
      labels[size] = e.label();
      ids[size] = e.id();
      size++;
    }

    /** Puts the block in the queue (waiting for room) and starts the next one. */
    void handOver() {
      if (size == 0) {
        return;
      }
      int[] order = Seeds.permutation(size, Seeds.mix(seed, index));
      Block done = new Block(start, LocalDataset.ordered(features, labels, ids,
          plan.numFeatures(), plan.numClasses(), order));
      long t0 = System.nanoTime();
      try {
        ready.put(done);
      } catch (InterruptedException e) {
        throw new Stop();
      } finally {
        putWaitNanos.addAndGet(System.nanoTime() - t0);
      }
      long next = start + size;
      int nextIndex = index + 1;
      if (next < needed) {
        reset(next);
      } else {
        size = 0;
        start = next;
      }
      index = nextIndex;
    }
  }

}
