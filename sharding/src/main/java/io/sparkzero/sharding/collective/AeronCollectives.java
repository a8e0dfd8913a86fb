package io.sparkzero.sharding.collective;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@link Collectives} over Aeron in a ring: rank {@code r} publishes to rank {@code (r+1) % N} and
 * subscribes from rank {@code (r-1+N) % N}, over shared memory between ranks on one media driver
 * and UDP otherwise (see {@link Transport}).
 *
 * <p>All-reduce is a ring reduce-scatter followed by a ring all-gather, bucket by bucket (option
 * {@code collective.bucket-bytes}), each pipelined chunk by chunk ({@link RingPass}); every rank
 * sends and receives {@code 2(N-1)/N} of the data, the bandwidth optimum. Broadcast is a pipelined
 * chain from the root; byte gathers and the barrier forward small messages around the ring.
 *
 * <p>Data is a {@link FloatBlock}, a heap array or native memory, and ranks may differ in which:
 * chunks go from the block straight into the log buffer and back, with no copy of the whole.
 *
 * <p>Reduce-scatter, all-gather and all-reduce run over every {@link Wire}; a 16-bit one rounds
 * what is sent and widens what arrives, on the same ring plans, and every rank still adds in fp32.
 *
 * <p>An instance belongs to one rank and is used by one thread at a time. After an operation fails
 * (a timeout, ranks calling different operations) the streams are mid-message: the instance refuses
 * further calls and must be closed and recreated. Floats travel in native byte order, so all hosts
 * of a job must share endianness.
 */
public final class AeronCollectives implements Collectives {
  private final int rank;
  private final int worldSize;
  private final CollectiveOptions options;
  private final LongSupplier nanoClock;
  private final Cancellation cancellation = new Cancellation();
  private final CollectiveCounters counters;
  private final RingLink link;
  private final RingPass ringPass;
  private final HalfReduceScatter halfReduceScatter;
  private final BytesRing bytesRing;
  private long operation;
  private String failure;
  private boolean closed;

  private AeronCollectives(
      Rendezvous rendezvous, CollectiveOptions options, RingLink link, CollectiveCounters counters,
      LongSupplier nanoClock) {
    this.counters = counters;
    this.rank = rendezvous.rank();
    this.worldSize = rendezvous.worldSize();
    this.options = options;
    this.nanoClock = nanoClock;
    this.link = link;
    if (link == null) {
      ringPass = null;
      halfReduceScatter = null;
      bytesRing = null;
    } else {
      StallWatch refused = new StallWatch(nanoClock, options.timeoutMs());
      Outbox outbox = new Outbox(link.toRight, options.wireTag(), link.rightRank,
          options.timeoutMs(), counters, refused, cancellation,
          options.authenticate() ? new MessageMac(options.jobToken(), link.toRight.streamId(),
              link.toRight.sessionId()) : null);
      ringPass = new RingPass(outbox, link.fromLeft, link.leftRank, options, counters, nanoClock);
      halfReduceScatter = new HalfReduceScatter(outbox, link.fromLeft, link.leftRank, options,
          counters, nanoClock);
      bytesRing = new BytesRing(
          outbox, link.fromLeft, rank, worldSize, options, counters, nanoClock);
    }
  }

  /**
   * Meets the other ranks through {@code rendezvous} (one round) and connects to both ring
   * neighbours. Every rank of the job must call this with equal options; it returns once every
   * rank's links are connected, or throws {@link CollectiveTimeoutException} after {@code
   * options.timeoutMs()}.
   */
  public static AeronCollectives create(
      Rendezvous rendezvous, CollectiveOptions options, AeronRuntime runtime) {
    return create(rendezvous, options, runtime, System::nanoTime);
  }

  /** As {@link #create(Rendezvous, CollectiveOptions, AeronRuntime)}, timing out on {@code nanoClock}. */
  public static AeronCollectives create(
      Rendezvous rendezvous, CollectiveOptions options, AeronRuntime runtime, LongSupplier nanoClock) {
    if (rendezvous.worldSize() < 1 || rendezvous.rank() < 0
        || rendezvous.rank() >= rendezvous.worldSize()) {
      throw new IllegalArgumentException("rank " + rendezvous.rank() + " of world size "
          + rendezvous.worldSize() + ": expected 0 <= rank < world size");
    }
    CollectiveCounters counters = new CollectiveCounters();
    RingLink link = rendezvous.worldSize() == 1
        ? null
        : RingLink.open(rendezvous, options, runtime, counters, nanoClock);
    AeronCollectives collectives =
        new AeronCollectives(rendezvous, options, link, counters, nanoClock);
    if (link != null) {
      collectives.awaitEveryRankConnected();
    }
    return collectives;
  }

  /**
   * A ring gather of empty messages as the last step of {@link #create}. A rank sends only once its
   * own links are up, so when the gather ends every rank's are. Without it a rank that has nothing
   * to receive in its first operation (a broadcast root, an empty segment) could finish and close
   * before its left neighbour saw their link connect, leaving that neighbour waiting for a
   * subscription that is gone.
   */
  private void awaitEveryRankConnected() {
    try {
      bytesRing.run("connect", ++operation, new byte[0]);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return worldSize;
  }

  /** Over the even split of the region, {@link Collectives#evenBounds}. */
  @Override
  public void allReduceSum(FloatBlock data, int offset, int length) {
    Segments.checkRange(data, offset, length);
    allReduceSum(data, Collectives.evenBounds(offset, length, worldSize));
  }

  @Override
  public void allReduceSum(FloatBlock data, int[] bounds) {
    allReduceSum(data, bounds, Wire.FP32);
  }

  /**
   * Works through the segments in buckets of {@code collective.bucket-bytes} on the wire, each
   * bucket the next slice of every segment, so that every bucket keeps the ring's links evenly
   * loaded.
   */
  @Override
  public void allReduceSum(FloatBlock data, int[] bounds, Wire wire) {
    Segments.checkBounds(data, bounds, worldSize);
    Objects.requireNonNull(wire, "wire");
    long startNs = begin();
    if (worldSize == 1) {
      roundAlone(data, bounds, wire);
    }
    int slice = (int) Math.max(1, options.bucketBytes() / wire.bytesPerElement() / worldSize);
    int longest = 0;
    for (int r = 0; r < worldSize; r++) {
      longest = Math.max(longest, bounds[r + 1] - bounds[r]);
    }
    int[] lo = new int[worldSize];
    int[] hi = new int[worldSize];
    for (long done = 0; done < longest && worldSize > 1; done += slice) {
      for (int r = 0; r < worldSize; r++) {
        lo[r] = (int) Math.min(bounds[r + 1], bounds[r] + done);
        hi[r] = (int) Math.min(bounds[r + 1], bounds[r] + done + slice);
      }
      run("allReduceSum", RingPlan.allReduce(rank, worldSize, lo, hi), data, wire);
    }
    end(startNs);
  }

  @Override
  public void reduceScatterSum(FloatBlock data, int[] bounds) {
    reduceScatterSum(data, bounds, Wire.FP32);
  }

  @Override
  public void reduceScatterSum(FloatBlock data, int[] bounds, Wire wire) {
    Segments.checkBounds(data, bounds, worldSize);
    Objects.requireNonNull(wire, "wire");
    long startNs = begin();
    if (worldSize > 1) {
      run("reduceScatterSum", RingPlan.reduceScatter(rank, worldSize, bounds), data, wire);
    }
    end(startNs);
  }

  @Override
  public void allGather(FloatBlock data, int[] bounds) {
    allGather(data, bounds, Wire.FP32);
  }

  @Override
  public void allGather(FloatBlock data, int[] bounds, Wire wire) {
    Segments.checkBounds(data, bounds, worldSize);
    Objects.requireNonNull(wire, "wire");
    long startNs = begin();
    if (worldSize > 1) {
      run("allGather", RingPlan.allGather(rank, worldSize, bounds), data, wire);
    } else {
      roundAlone(data, bounds, wire);
    }
    end(startNs);
  }

  /** Moves the 16-bit elements as they are ({@link RingPass}); no fp32 copy is made. */
  @Override
  public void allGather(HalfBlock data, int[] bounds) {
    Segments.checkBounds(data, bounds, worldSize);
    long startNs = begin();
    if (worldSize > 1) {
      guarded("allGather", () -> ringPass.run("allGather", ++operation,
          RingPlan.allGather(rank, worldSize, bounds), data));
    }
    end(startNs);
  }

  /**
   * Sums chunk by chunk as they arrive ({@link HalfReduceScatter}); no fp32 copy is made. Works
   * through the segments a slice of each at a time ({@link HalfReduceScatter#sliceElements}), as
   * {@link #allReduceSum(FloatBlock, int[], Wire)} works through buckets.
   */
  @Override
  public void reduceScatterSum(HalfBlock data, int[] bounds, Wire wire, FloatBlock sum,
      int sumOffset, boolean addToSum) {
    Segments.checkBounds(data, bounds, worldSize);
    Objects.requireNonNull(wire, "wire");
    int lo = bounds[rank];
    int count = bounds[rank + 1] - lo;
    Segments.checkRange(sum, sumOffset, count);
    long startNs = begin();
    if (worldSize > 1) {
      int slice = halfReduceScatter.sliceElements(wire);
      int longest = 0;
      for (int r = 0; r < worldSize; r++) {
        longest = Math.max(longest, bounds[r + 1] - bounds[r]);
      }
      int[] from = new int[worldSize];
      int[] to = new int[worldSize];
      for (long done = 0; done < longest; done += slice) {
        for (int r = 0; r < worldSize; r++) {
          from[r] = (int) Math.min(bounds[r + 1], bounds[r] + done);
          to[r] = (int) Math.min(bounds[r + 1], bounds[r] + done + slice);
        }
        RingPlan plan = RingPlan.reduceScatter(rank, worldSize, from, to);
        int at = sumOffset + from[rank] - lo;
        guarded("reduceScatterSum", () -> halfReduceScatter.run("reduceScatterSum", ++operation,
            plan, data, wire, sum, at, addToSum));
      }
    } else {
      FloatBlock own = FloatBlock.of(new float[count]);
      data.widenTo(lo, own, 0, count);
      for (int i = 0; i < count; i++) {
        sum.set(sumOffset + i, addToSum ? sum.get(sumOffset + i) + own.get(i) : own.get(i));
      }
    }
    end(startNs);
  }

  /**
   * A one-rank world's all-gather over a 16-bit wire: the rank is the owner of the only segment
   * and rounds it as an owner sending it would, so results do not depend on the world's size.
   */
  private void roundAlone(FloatBlock data, int[] bounds, Wire wire) {
    int length = bounds[1] - bounds[0];
    if (wire != Wire.FP32 && length > 0) {
      new RawHalves(Math.min(length, options.chunkBytes() / wire.bytesPerElement()))
          .round(wire, data, bounds[0], length);
    }
  }

  @Override
  public void broadcast(FloatBlock data, int offset, int length, int root) {
    Segments.checkRange(data, offset, length);
    if (root < 0 || root >= worldSize) {
      throw new IllegalArgumentException("broadcast root " + root + " is not a rank of world size "
          + worldSize);
    }
    long startNs = begin();
    if (worldSize > 1) {
      run("broadcast", RingPlan.broadcast(rank, worldSize, root, offset, offset + length), data,
          Wire.FP32);
    }
    end(startNs);
  }

  @Override
  public byte[][] allGatherBytes(byte[] local) {
    return gatherBytes("allGatherBytes", local);
  }

  /**
   * A ring all-gather of empty messages: no rank can finish it before every rank has started it,
   * and it takes {@code N-1} hops where a token sent twice around the ring takes {@code 2N-1}.
   */
  @Override
  public void barrier() {
    gatherBytes("barrier", new byte[0]);
  }

  private byte[][] gatherBytes(String name, byte[] local) {
    long startNs = begin();
    try {
      if (worldSize == 1) {
        return new byte[][] {local.clone()};
      }
      try {
        return bytesRing.run(name, ++operation, local);
      } catch (RuntimeException e) {
        failure = name + ": " + e.getMessage();
        throw e;
      }
    } finally {
      end(startNs);
    }
  }

  private void run(String name, RingPlan plan, FloatBlock data, Wire wire) {
    guarded(name, () -> ringPass.run(name, ++operation, plan, data, wire));
  }

  /** Runs a ring operation; a failure leaves the streams mid-message, so later calls refuse. */
  private void guarded(String name, Runnable ring) {
    try {
      ring.run();
    } catch (RuntimeException e) {
      failure = name + ": " + e.getMessage();
      throw e;
    }
  }

  private long begin() {
    if (closed) {
      throw new IllegalStateException("collectives of rank " + rank + " are closed");
    }
    if (failure != null) {
      throw new IllegalStateException("an earlier collective of rank " + rank + " failed ("
          + failure + "); close this instance and create a new one with every rank");
    }
    return nanoClock.getAsLong();
  }

  private void end(long startNs) {
    counters.nanosInCollectives += nanoClock.getAsLong() - startNs;
  }

  @Override
  public CollectiveStats stats() {
    return counters.snapshot();
  }

  /** The channel this rank listens on ({@code aeron:ipc} or its UDP endpoint); for tests. */
  String inboundChannel() {
    return link.inboundChannel;
  }

  /** The stream id this rank listens on; for tests. */
  int inboundStreamId() {
    return link.fromLeft.subscription().streamId();
  }

  @Override
  public void cancel(String reason) {
    cancellation.cancel(reason);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      if (link != null) {
        link.close();
      }
    }
  }
}
