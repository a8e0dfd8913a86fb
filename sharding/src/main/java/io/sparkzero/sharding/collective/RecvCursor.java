package io.sparkzero.sharding.collective;

import org.agrona.DirectBuffer;

/**
 * Where a ring loop's receive side stands in a {@link RingPlan}: the step and element offset of the
 * next chunk it expects, skipping steps whose segment is empty. Shared by the loops that receive
 * floats ({@link RingPass}, {@link HalfReduceScatter}), with the check of each chunk's header
 * against it.
 */
final class RecvCursor {
  private RingPlan plan;
  private int step;
  private int pos;

  /** Expects {@code plan}'s first chunk. */
  void start(RingPlan plan) {
    this.plan = plan;
    step = -1;
    nextStep();
  }

  boolean receiving() {
    return step < plan.steps();
  }

  /** The step of the next chunk. */
  int step() {
    return step;
  }

  /** The element offset of the next chunk. */
  int pos() {
    return pos;
  }

  /** The first element of this step's segment. */
  int segmentStart() {
    return plan.recvLo(step);
  }

  /** Elements of this step's segment. */
  int segmentLength() {
    return plan.recvHi(step) - plan.recvLo(step);
  }

  /** Whether the first {@code elements} of step {@code step}'s segment are in. */
  boolean received(int step, int elements) {
    return step < 0 || this.step > step
        || (this.step == step && pos - plan.recvLo(step) >= elements);
  }

  /**
   * The elements of the chunk at {@code index} (its header) when it is the one expected next in
   * {@code operation} over {@code wire}; -1 when it belongs to a later step or operation (to be
   * left in the log); throws {@code loop}'s out-of-order error when it cannot be where it is.
   */
  int chunk(RingLoop loop, DirectBuffer buffer, int index, int length, long operation,
      Wire wire) {
    int order = MessageHeader.compare(
        MessageHeader.operation(buffer, index), MessageHeader.step(buffer, index),
        MessageHeader.offset(buffer, index), operation, step, pos);
    if (order > 0) {
      return -1;
    }
    int payloadBytes = length - MessageHeader.LENGTH;
    int elementBytes = wire.bytesPerElement();
    int count = payloadBytes / elementBytes;
    int messageWire = MessageHeader.wire(buffer, index);
    if (order < 0 || messageWire != wire.headerCode() || payloadBytes % elementBytes != 0
        || count == 0 || count > plan.recvHi(step) - pos
        || MessageHeader.totalLength(buffer, index) != segmentLength()) {
      throw loop.outOfOrder(RingPass.payload(messageWire, payloadBytes), buffer, index);
    }
    return count;
  }

  /** Moves past a chunk of {@code count} elements. */
  void advance(int count) {
    pos += count;
    if (pos == plan.recvHi(step)) {
      nextStep();
    }
  }

  /** What comes next, for timeout and protocol messages. */
  String expected(long operation, Wire wire) {
    return "operation " + operation + ", step " + step + ", offset " + pos
        + " of segment [" + plan.recvLo(step) + ", " + plan.recvHi(step) + ")"
        + (wire == Wire.FP32 ? "" : " in " + wire.configValue());
  }

  private void nextStep() {
    do {
      step++;
    } while (step < plan.steps() && plan.recvLo(step) == plan.recvHi(step));
    pos = receiving() ? plan.recvLo(step) : 0;
  }
}
