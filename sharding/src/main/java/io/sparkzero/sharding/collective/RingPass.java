package io.sparkzero.sharding.collective;

import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;

/**
 * Runs one {@link RingPlan} over a {@link FloatBlock}, chunk by chunk. A chunk of step {@code s}
 * is sent as soon as the same chunk of step {@code s-1} has arrived, so all steps are in flight at
 * once and the ring behaves as a pipeline rather than {@code N-1} rounds that each wait for the
 * slowest.
 * Received chunks are copied straight from the log buffer into the block, or added to it through
 * two chunk-sized scratch arrays ({@link RawFloats#add}).
 *
 * <p>With a 16-bit {@link Wire} the same plan runs on 2-byte elements ({@link RawHalves}): a chunk
 * of {@code collective.chunk-bytes} carries twice the elements, what is sent is rounded to the
 * wire, what is received is widened and then added in fp32 or copied, and the data a rank sends
 * for its receivers to copy is rounded in place first ({@link RingPlan#sendsOwnCopiedData}).
 */
final class RingPass extends RingLoop {
  /** Chunks sent per turn of the loop before polling again. */
  private static final int SENDS_PER_TURN = 16;

  private final int chunkBytes;
  private final float[] received;
  private final float[] staged;
  /** Scratch of the 16-bit wires, made on the first operation that uses one. */
  private RawHalves halves;
  /** Scratch of the gathers of 16-bit blocks, made on the first one. */
  private HalfChunks halfChunks;
  private RingPlan plan;
  private FloatBlock data;
  /** A gather's 16-bit block, moved as it is; null when {@link #data} is the block. */
  private HalfBlock half;
  private Wire wire;
  private int chunkElements;
  private long operation;
  private int sendStep;
  private int sendPos;
  private final RecvCursor recv = new RecvCursor();

  RingPass(
      Outbox outbox, InboundStream inbox, int leftRank, CollectiveOptions options,
      CollectiveCounters counters, LongSupplier nanoClock) {
    super(outbox, inbox, leftRank, options, counters, nanoClock);
    this.chunkBytes = options.chunkBytes();
    this.received = new float[options.chunkFloats()];
    this.staged = new float[options.chunkFloats()];
  }

  /** Runs {@code plan} on {@code data} over {@code wire} as operation number {@code operation}. */
  void run(String name, long operation, RingPlan plan, FloatBlock data, Wire wire) {
    this.plan = plan;
    this.data = data;
    this.wire = wire;
    this.chunkElements = chunkBytes / wire.bytesPerElement();
    if (wire != Wire.FP32 && halves == null) {
      halves = new RawHalves(chunkElements);
    }
    start(operation);
    loop(name);
    this.data = null;
  }

  /**
   * Runs {@code plan}, a gather or broadcast (it must not reduce), on the 16-bit {@code data}:
   * messages carry the elements as they are, in the block's own format.
   */
  void run(String name, long operation, RingPlan plan, HalfBlock data) {
    this.plan = plan;
    this.half = data;
    this.wire = data.format();
    this.chunkElements = chunkBytes / HalfBlock.BYTES;
    if (halfChunks == null) {
      halfChunks = new HalfChunks(chunkElements);
    }
    start(operation);
    try {
      loop(name);
    } finally {
      this.half = null;
    }
  }

  private void start(long operation) {
    this.operation = operation;
    sendStep = -1;
    nextSendStep();
    recv.start(plan);
  }

  @Override
  boolean sending() {
    return sendStep < plan.steps();
  }

  @Override
  boolean receiving() {
    return recv.receiving();
  }

  @Override
  int sendSome() {
    int sent = 0;
    while (sent < SENDS_PER_TURN && sending()) {
      int count = Math.min(chunkElements, plan.sendHi(sendStep) - sendPos);
      if (!recv.received(sendStep - 1, sendPos - plan.sendLo(sendStep) + count)) {
        break;
      }
      int segment = plan.sendHi(sendStep) - plan.sendLo(sendStep);
      int payloadBytes = count * wire.bytesPerElement();
      int index = outbox.tryClaim(
          operation, sendStep, sendPos, segment, wire.headerCode(), payloadBytes);
      if (index < 0) {
        break;
      }
      if (half != null) {
        halfChunks.put(half, sendPos, count, outbox.buffer(), index);
      } else if (wire == Wire.FP32) {
        RawFloats.put(data, sendPos, count, outbox.buffer(), index);
      } else if (plan.sendsOwnCopiedData(sendStep)) {
        halves.putRounding(wire, data, sendPos, count, outbox.buffer(), index);
      } else {
        halves.put(wire, data, sendPos, count, outbox.buffer(), index);
      }
      outbox.commit(payloadBytes);
      sendPos += count;
      if (sendPos == plan.sendHi(sendStep)) {
        nextSendStep();
      }
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
    int recvPos = recv.pos();
    int payload = index + MessageHeader.LENGTH;
    boolean reduces = plan.reduces(recv.step());
    if (half != null) {
      if (reduces) {
        throw new IllegalStateException("a 16-bit block is not reduced in place");
      }
      halfChunks.get(buffer, payload, half, recvPos, count);
    } else if (wire == Wire.FP32 && reduces) {
      RawFloats.add(buffer, payload, data, recvPos, count, received, staged);
    } else if (wire == Wire.FP32) {
      RawFloats.get(buffer, payload, data, recvPos, count);
    } else if (reduces) {
      halves.add(wire, buffer, payload, data, recvPos, count);
    } else {
      halves.get(wire, buffer, payload, data, recvPos, count);
    }
    counters.bytesReceived += (long) count * wire.bytesPerElement();
    recv.advance(count);
    return receiving() ? Action.CONTINUE : Action.BREAK;
  }

  @Override
  String expected() {
    return recv.expected(operation, wire);
  }

  /** What a message carries, read by its own wire: "64 floats", "128 bf16 elements". */
  static String payload(int messageWire, int payloadBytes) {
    Wire sent = Wire.ofHeaderCode(messageWire);
    if (sent == null) {
      return payloadBytes + " bytes of unknown wire code " + messageWire;
    }
    int count = payloadBytes / sent.bytesPerElement();
    return sent == Wire.FP32 ? count + " floats" : count + " " + sent.configValue() + " elements";
  }

  private void nextSendStep() {
    do {
      sendStep++;
    } while (sendStep < plan.steps() && plan.sendLo(sendStep) == plan.sendHi(sendStep));
    sendPos = sending() ? plan.sendLo(sendStep) : 0;
  }

}
