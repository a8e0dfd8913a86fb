package io.sparkzero.sharding.collective;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the floats of a collective travel between ranks. Ranks always compute in fp32; a 16-bit wire
 * halves the bytes per message by rounding what is sent (round to nearest, ties to even, {@link
 * HalfFloats}). Where that rounding happens, and what each operation guarantees, is in {@link
 * Collectives#reduceScatterSum(FloatBlock, int[], Wire)} and {@link
 * Collectives#allGather(FloatBlock, int[], Wire)}.
 */
public enum Wire {
  /** IEEE single precision, exactly as computed: today's format. */
  FP32(Float.BYTES, 0),
  /** bfloat16: fp32's sign and 8-bit exponent, 7 bits of mantissa; fp32's range, 2^-8 precision. */
  BF16(2, 1),
  /**
   * IEEE half precision: 5-bit exponent, 10 bits of mantissa; 2^-11 precision, but values of
   * magnitude 65520 and above become infinite and those below 2^-14 lose precision.
   */
  FP16(2, 2);

  private final int bytesPerElement;
  /** The value of the message header's wire field; 0 is also what byte messages carry. */
  private final int headerCode;

  Wire(int bytesPerElement, int headerCode) {
    this.bytesPerElement = bytesPerElement;
    this.headerCode = headerCode;
  }

  /** Bytes one element takes in a message. */
  public int bytesPerElement() {
    return bytesPerElement;
  }

  /** The name as written in configuration: {@code fp32}, {@code bf16} or {@code fp16}. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The wire {@code name} names ({@code fp32}, {@code bf16} or {@code fp16}, any case, surrounding
   * blanks ignored); throws {@link IllegalArgumentException} listing the allowed names otherwise.
   */
  public static Wire named(String name) {
    for (Wire wire : values()) {
      if (name != null && wire.configValue().equalsIgnoreCase(name.trim())) {
        return wire;
      }
    }
    throw new IllegalArgumentException("unknown wire '" + name + "': expected one of "
        + Arrays.stream(values()).map(Wire::configValue).collect(Collectors.joining(", ")));
  }

  /** The value written into the header of this wire's messages ({@link MessageHeader}). */
  int headerCode() {
    return headerCode;
  }

  /** The wire whose {@link #headerCode()} is {@code code}, or null. */
  static Wire ofHeaderCode(int code) {
    for (Wire wire : values()) {
      if (wire.headerCode == code) {
        return wire;
      }
    }
    return null;
  }
}
