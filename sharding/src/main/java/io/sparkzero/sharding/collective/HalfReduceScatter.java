package io.sparkzero.sharding.collective;

import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;

/**
 * The ring reduce-scatter of a {@link HalfBlock} into an fp32 result, without an fp32 copy of the
 * block: {@link Collectives#reduceScatterSum(HalfBlock, int[], Wire, FloatBlock, int, boolean)}.
 *
 * <p>The plan is {@link RingPlan#reduceScatter}'s, and so is the arithmetic: the partial sum a rank
 * receives at step {@code s} is widened, its own widened values are added in fp32, and that sum is
 * what it sends at step {@code s + 1} (rounded to the wire, as {@link RingPass} rounds it). The
 * difference is where the sum waits between the two: {@link RingPass} adds into the block in place
 * and sends from there; a 16-bit block cannot hold an fp32 sum, so here the sum is written straight
 * into the outgoing message, chunk by chunk, as the chunk arrives (the segment received at step
 * {@code s} is the one sent at step {@code s + 1}, chunk for chunk). The last step's sums, the
 * rank's own segment, go to the fp32 result. The block itself is only read.
 *
 * <p>A chunk is taken from the log only once its onward message is claimed; until then it stays
 * there ({@code ABORT}) and is read again on the next poll. Messages leave in step order: no
 * chunk is forwarded before all of step 0 (the rank's own values of one segment) is sent.
 *
 * <p>So a rank reads nothing while its right neighbour cannot take more, unlike {@link RingPass},
 * which always reads: if every rank's step 0 were more than its stream holds unread, every rank
 * would wait to send with its inbox full, and the ring would stall until the timeout. A run
 * therefore takes at most {@link #sliceElements} of each segment, a quarter of what a stream
 * holds: the messages in flight, even those of two runs at once (a rank may start the next while
 * its neighbours finish this one), are then at most half of what the ring's streams hold
 * together, so they cannot all be full, and some rank can always go on. The caller runs slice
 * after slice, as {@link AeronCollectives}' all-reduce runs buckets; each element is summed in the
 * same order whichever run carries it.
 */
final class HalfReduceScatter extends RingLoop {
  private static final int SENDS_PER_TURN = 16;

  private final int chunkBytes;
  private final int frameBytes;
  private final float[] received;
  private final float[] own;
  private final float[] previous;
  private final FloatBlock receivedBlock;
  private final HalfChunks chunks;
  private RawHalves halves;
  private RingPlan plan;
  private HalfBlock data;
  private Wire wire;
  private FloatBlock sum;
  private int sumOffset;
  private boolean addToSum;
  private int chunkElements;
  private long operation;
  private int sendPos;
  private final RecvCursor recv = new RecvCursor();

  HalfReduceScatter(
      Outbox outbox, InboundStream inbox, int leftRank, CollectiveOptions options,
      CollectiveCounters counters, LongSupplier nanoClock) {
    super(outbox, inbox, leftRank, options, counters, nanoClock);
    this.chunkBytes = options.chunkBytes();
    this.frameBytes = options.mtuBytes();
    int most = chunkBytes / HalfBlock.BYTES; // elements of the largest chunk: a 16-bit wire's
    this.received = new float[most];
    this.own = new float[most];
    this.previous = new float[most];
    this.receivedBlock = FloatBlock.of(received);
    this.chunks = new HalfChunks(most);
  }

  /**
   * The most elements of each segment that one run may move over {@code wire}: whole chunks, as
   * many as fill a quarter of the stream's window, and at least one.
   */
  int sliceElements(Wire wire) {
    int chunks = Math.max(1, outbox.windowBytes() / 4 / frameBytes);
    return chunks * (chunkBytes / wire.bytesPerElement());
  }

  /**
   * Runs {@code plan} (a reduce-scatter of at most {@link #sliceElements} a segment) on {@code
   * data} over {@code wire}; the sums of this rank's segment {@code [lo, hi)} go to {@code
   * sum[sumOffset, sumOffset + hi - lo)}, added to what is there when {@code addToSum}.
   */
  void run(String name, long operation, RingPlan plan, HalfBlock data, Wire wire, FloatBlock sum,
      int sumOffset, boolean addToSum) {
    this.plan = plan;
    this.data = data;
    this.wire = wire;
    this.sum = sum;
    this.sumOffset = sumOffset;
    this.addToSum = addToSum;
    this.chunkElements = chunkBytes / wire.bytesPerElement();
    if (wire != Wire.FP32 && halves == null) {
      halves = new RawHalves(chunkBytes / HalfBlock.BYTES);
    }
    this.operation = operation;
    sendPos = plan.sendLo(0);
    recv.start(plan);
    try {
      loop(name);
    } finally {
      this.data = null;
      this.sum = null;
    }
  }

  @Override
  boolean sending() {
    return sendPos < plan.sendHi(0);
  }

  @Override
  boolean receiving() {
    return recv.receiving();
  }

  /** Step 0: this rank's own values of the segment its right neighbour adds to next. */
  @Override
  int sendSome() {
    int sent = 0;
    int segment = plan.sendHi(0) - plan.sendLo(0);
    while (sent < SENDS_PER_TURN && sending()) {
      int count = Math.min(chunkElements, plan.sendHi(0) - sendPos);
      int payloadBytes = count * wire.bytesPerElement();
      int index = outbox.tryClaim(operation, 0, sendPos, segment, wire.headerCode(), payloadBytes);
      if (index < 0) {
        break;
      }
      chunks.widen(data, sendPos, count, received);
      write(count, index);
      outbox.commit(payloadBytes);
      sendPos += count;
      sent++;
    }
    return sent;
  }

  @Override
  Action onMessage(DirectBuffer buffer, int index, int length) {
    int count = recv.chunk(this, buffer, index, length, operation, wire);
    if (count < 0) {
      return Action.ABORT;
    }
    int payloadBytes = count * wire.bytesPerElement();
    int recvStep = recv.step();
    int recvPos = recv.pos();
    boolean last = recvStep == plan.steps() - 1;
    int onward = -1;
    if (!last) {
      if (sending()) {
        return Action.ABORT; // step 0 first: the right neighbour reads steps in order
      }
      onward = outbox.tryClaim(operation, recvStep + 1, recvPos, recv.segmentLength(),
          wire.headerCode(),
          payloadBytes);
      if (onward < 0) {
        return Action.ABORT;
      }
    }
    int payload = index + MessageHeader.LENGTH;
    if (wire == Wire.FP32) {
      RawFloats.get(buffer, payload, receivedBlock, 0, count);
    } else {
      halves.get(wire, buffer, payload, receivedBlock, 0, count);
    }
    chunks.widen(data, recvPos, count, own);
    for (int i = 0; i < count; i++) {
      received[i] = own[i] + received[i];
    }
    if (last) {
      store(recvPos - recv.segmentStart(), count);
    } else {
      write(count, onward);
      outbox.commit(payloadBytes);
    }
    counters.bytesReceived += payloadBytes;
    recv.advance(count);
    return receiving() ? Action.CONTINUE : Action.BREAK;
  }

  /** Writes {@code received[0, count)} into the claimed message at {@code index}. */
  private void write(int count, int index) {
    if (wire == Wire.FP32) {
      RawFloats.put(receivedBlock, 0, count, outbox.buffer(), index);
    } else {
      halves.put(wire, receivedBlock, 0, count, outbox.buffer(), index);
    }
  }

  /** Puts the finished sums {@code received[0, count)} at {@code at} of this rank's segment. */
  private void store(int at, int count) {
    int to = sumOffset + at;
    if (addToSum) {
      sum.copyTo(to, previous, 0, count);
      for (int i = 0; i < count; i++) {
        received[i] = previous[i] + received[i];
      }
    }
    sum.copyFrom(received, 0, to, count);
  }

  @Override
  String expected() {
    return recv.expected(operation, wire);
  }
}
