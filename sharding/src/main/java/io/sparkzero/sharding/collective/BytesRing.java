package io.sparkzero.sharding.collective;

import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;

/**
 * Ring all-gather of one byte message per rank: at step {@code s} rank {@code r} forwards the
 * message of rank {@code r-s} and receives the one of rank {@code r-s-1}, so after {@code N-1}
 * steps every rank has all of them. Each message travels as at least one chunk (an empty message
 * still announces its length), and is forwarded once it has fully arrived.
 */
final class BytesRing extends RingLoop {
  private final int rank;
  private final int worldSize;
  private final int chunkBytes;
  private byte[][] messages;
  private long operation;
  private int sendStep;
  private int sendPos;
  private int recvStep;
  private int recvPos;

  BytesRing(
      Outbox outbox, InboundStream inbox, int rank, int worldSize, CollectiveOptions options,
      CollectiveCounters counters, LongSupplier nanoClock) {
    super(outbox, inbox, Math.floorMod(rank - 1, worldSize), options, counters, nanoClock);
    this.rank = rank;
    this.worldSize = worldSize;
    this.chunkBytes = options.chunkBytes();
  }

  /** Gathers every rank's message; element {@code i} is rank {@code i}'s. */
  byte[][] run(String name, long operation, byte[] local) {
    this.operation = operation;
    messages = new byte[worldSize][];
    messages[rank] = local.clone();
    sendStep = 0;
    sendPos = 0;
    recvStep = 0;
    recvPos = 0;
    loop(name);
    byte[][] result = messages;
    messages = null;
    return result;
  }

  @Override
  boolean sending() {
    return sendStep < worldSize - 1;
  }

  @Override
  boolean receiving() {
    return recvStep < worldSize - 1;
  }

  @Override
  int sendSome() {
    // The message forwarded at step s is the one received at step s-1.
    if (!sending() || recvStep < sendStep) {
      return 0;
    }
    byte[] message = messages[Math.floorMod(rank - sendStep, worldSize)];
    int count = Math.min(chunkBytes, message.length - sendPos);
    int index = outbox.tryClaim(
        operation, sendStep, sendPos, message.length, MessageHeader.NO_WIRE, count);
    if (index < 0) {
      return 0;
    }
    outbox.buffer().putBytes(index, message, sendPos, count);
    outbox.commit(count);
    sendPos += count;
    if (sendPos == message.length) {
      sendStep++;
      sendPos = 0;
    }
    return 1;
  }

  @Override
  Action onMessage(DirectBuffer buffer, int index, int length) {
    int order = MessageHeader.compare(
        MessageHeader.operation(buffer, index), MessageHeader.step(buffer, index),
        MessageHeader.offset(buffer, index), operation, recvStep, recvPos);
    if (order > 0) {
      return Action.ABORT;
    }
    int count = length - MessageHeader.LENGTH;
    int total = MessageHeader.totalLength(buffer, index);
    int source = Math.floorMod(rank - recvStep - 1, worldSize);
    if (order < 0 || total < 0) {
      throw outOfOrder(count + " bytes", buffer, index);
    }
    if (recvPos == 0) {
      messages[source] = new byte[total];
    }
    if (total != messages[source].length || count > total - recvPos || (count == 0 && total > 0)) {
      throw outOfOrder(count + " bytes", buffer, index);
    }
    buffer.getBytes(index + MessageHeader.LENGTH, messages[source], recvPos, count);
    counters.bytesReceived += count;
    recvPos += count;
    if (recvPos == total) {
      recvStep++;
      recvPos = 0;
    }
    return receiving() ? Action.CONTINUE : Action.BREAK;
  }

  @Override
  String expected() {
    return "operation " + operation + ", step " + recvStep + ", byte " + recvPos
        + " of rank " + Math.floorMod(rank - recvStep - 1, worldSize) + "'s message";
  }
}
