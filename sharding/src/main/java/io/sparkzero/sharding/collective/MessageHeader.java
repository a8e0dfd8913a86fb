package io.sparkzero.sharding.collective;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The 32-byte header in front of every collective message (little-endian):
 *
 * <pre>
 *   0  long  job tag          the job's {@link CollectiveOptions#wireTag()}; another job's are dropped
 *   8  long  operation number  counts the operations (and all-reduce buckets) of one instance
 *  16  int   step             ring step the sender is in
 *  20  int   offset           first element (floats) or byte (byte messages) of this chunk
 *  24  int   total length     elements or bytes of the whole segment or message
 *  28  int   wire             how a float message's elements travel ({@link Wire}): 0 fp32,
 *                             1 bf16, 2 fp16; 0 ({@link #NO_WIRE}) in byte messages
 * </pre>
 *
 * <p>32 bytes keep the payload 32-byte aligned inside Aeron's frames, which vector copies like.
 *
 * <p>Why the header names the wire: the receiver cannot tell 2-byte from 4-byte elements by the
 * payload's length, and ranks that disagree on the wire must fail like ranks that disagree on the
 * call sequence rather than read one format as the other. The field was reserved and zero before
 * 16-bit wires existed, so fp32 and byte messages are the same bytes as they were.
 */
final class MessageHeader {
  static final int LENGTH = 32;
  private static final int TOKEN = 0;
  private static final int OPERATION = 8;
  private static final int STEP = 16;
  private static final int OFFSET = 20;
  private static final int TOTAL_LENGTH = 24;
  private static final int WIRE = 28;
  private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

  /** The wire field of byte messages, which carry no floats: fp32's code. */
  static final int NO_WIRE = 0;

  private MessageHeader() {}

  /** Writes a header; {@code wire} is {@link Wire#headerCode()}, or {@link #NO_WIRE}. */
  static void write(
      MutableDirectBuffer buffer, int index, long token, long operation, int step, int offset,
      int totalLength, int wire) {
    buffer.putLong(index + TOKEN, token, ORDER);
    buffer.putLong(index + OPERATION, operation, ORDER);
    buffer.putInt(index + STEP, step, ORDER);
    buffer.putInt(index + OFFSET, offset, ORDER);
    buffer.putInt(index + TOTAL_LENGTH, totalLength, ORDER);
    buffer.putInt(index + WIRE, wire, ORDER);
  }

  static long token(DirectBuffer buffer, int index) {
    return buffer.getLong(index + TOKEN, ORDER);
  }

  static long operation(DirectBuffer buffer, int index) {
    return buffer.getLong(index + OPERATION, ORDER);
  }

  static int step(DirectBuffer buffer, int index) {
    return buffer.getInt(index + STEP, ORDER);
  }

  static int offset(DirectBuffer buffer, int index) {
    return buffer.getInt(index + OFFSET, ORDER);
  }

  static int totalLength(DirectBuffer buffer, int index) {
    return buffer.getInt(index + TOTAL_LENGTH, ORDER);
  }

  static int wire(DirectBuffer buffer, int index) {
    return buffer.getInt(index + WIRE, ORDER);
  }

  /**
   * Orders two message positions {@code (operation, step, offset)}: negative when the first comes
   * earlier in a sender's stream, zero when equal, positive when later.
   */
  static int compare(long operationA, int stepA, int offsetA, long operationB, int stepB, int offsetB) {
    if (operationA != operationB) {
      return Long.compare(operationA, operationB);
    }
    if (stepA != stepB) {
      return Integer.compare(stepA, stepB);
    }
    return Integer.compare(offsetA, offsetB);
  }
}
