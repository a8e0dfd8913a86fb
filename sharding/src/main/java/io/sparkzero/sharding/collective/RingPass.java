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
 */
final class RingPass extends RingLoop {
  /** Chunks sent per turn of the loop before polling again. */
  private static final int SENDS_PER_TURN = 16;

  private final int chunkFloats;
  private final float[] received;
  private final float[] staged;
  private RingPlan plan;
  private FloatBlock data;
  private long operation;
  private int sendStep;
  private int sendPos;
  private int recvStep;
  private int recvPos;

  RingPass(
      Outbox outbox, InboundStream inbox, int leftRank, CollectiveOptions options,
      CollectiveCounters counters, LongSupplier nanoClock) {
    super(outbox, inbox, leftRank, options, counters, nanoClock);
    this.chunkFloats = options.chunkFloats();
    this.received = new float[chunkFloats];
    this.staged = new float[chunkFloats];
  }

  /** Runs {@code plan} on {@code data} as operation number {@code operation}. */
  void run(String name, long operation, RingPlan plan, FloatBlock data) {
    this.plan = plan;
    this.data = data;
    this.operation = operation;
    sendStep = -1;
    nextSendStep();
    recvStep = -1;
    nextRecvStep();
    loop(name);
    this.data = null;
  }

  @Override
  boolean sending() {
    return sendStep < plan.steps();
  }

  @Override
  boolean receiving() {
    return recvStep < plan.steps();
  }

  @Override
  int sendSome() {
    int sent = 0;
    while (sent < SENDS_PER_TURN && sending()) {
      int count = Math.min(chunkFloats, plan.sendHi(sendStep) - sendPos);
      if (!received(sendStep - 1, sendPos - plan.sendLo(sendStep) + count)) {
        break;
      }
      int segment = plan.sendHi(sendStep) - plan.sendLo(sendStep);
      int index = outbox.tryClaim(operation, sendStep, sendPos, segment, count * Float.BYTES);
      if (index < 0) {
        break;
      }
      RawFloats.put(data, sendPos, count, outbox.buffer(), index);
      outbox.commit(count * Float.BYTES);
      sendPos += count;
      if (sendPos == plan.sendHi(sendStep)) {
        nextSendStep();
      }
      sent++;
    }
    return sent;
  }

  /** Whether the first {@code floats} of step {@code step}'s received segment are in. */
  private boolean received(int step, int floats) {
    return step < 0 || recvStep > step || (recvStep == step && recvPos - plan.recvLo(step) >= floats);
  }

  @Override
  Action onMessage(DirectBuffer buffer, int index, int length) {
    int order = MessageHeader.compare(
        MessageHeader.operation(buffer, index), MessageHeader.step(buffer, index),
        MessageHeader.offset(buffer, index), operation, recvStep, recvPos);
    if (order > 0) {
      return Action.ABORT;
    }
    int payloadBytes = length - MessageHeader.LENGTH;
    int count = payloadBytes / Float.BYTES;
    int segment = plan.recvHi(recvStep) - plan.recvLo(recvStep);
    if (order < 0 || payloadBytes % Float.BYTES != 0 || count == 0
        || count > plan.recvHi(recvStep) - recvPos
        || MessageHeader.totalLength(buffer, index) != segment) {
      throw outOfOrder(count + " floats", buffer, index);
    }
    int payload = index + MessageHeader.LENGTH;
    if (plan.reduces(recvStep)) {
      RawFloats.add(buffer, payload, data, recvPos, count, received, staged);
    } else {
      RawFloats.get(buffer, payload, data, recvPos, count);
    }
    counters.bytesReceived += payloadBytes;
    recvPos += count;
    if (recvPos == plan.recvHi(recvStep)) {
      nextRecvStep();
    }
    return receiving() ? Action.CONTINUE : Action.BREAK;
  }

  @Override
  String expected() {
    return "operation " + operation + ", step " + recvStep + ", offset " + recvPos
        + " of segment [" + plan.recvLo(recvStep) + ", " + plan.recvHi(recvStep) + ")";
  }

  private void nextSendStep() {
    do {
      sendStep++;
    } while (sendStep < plan.steps() && plan.sendLo(sendStep) == plan.sendHi(sendStep));
    sendPos = sending() ? plan.sendLo(sendStep) : 0;
  }

  private void nextRecvStep() {
    do {
      recvStep++;
    } while (recvStep < plan.steps() && plan.recvLo(recvStep) == plan.recvHi(recvStep));
    recvPos = receiving() ? plan.recvLo(recvStep) : 0;
  }
}
