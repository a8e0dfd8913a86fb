package io.sparkzero.sharding.plan;

import java.util.Locale;

/** The number format of the compute copy of parameters and gradients. */
public enum Precision {
  FP32(4),
  FP16(2),
  BF16(2);

  private final int bytes;

  Precision(int bytes) {
    this.bytes = bytes;
  }

  /** Bytes per element of the compute copy (b in the memory formulas). */
  public int bytes() {
    return bytes;
  }

  /** Lower-case name as written in job files: {@code fp32}, {@code fp16} or {@code bf16}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code fp32}, {@code fp16} or {@code bf16}, ignoring case and surrounding blanks. */
  public static Precision parse(String text) {
    if (text != null) {
      for (Precision p : values()) {
        if (p.key().equals(text.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '" + text + "': expected one of fp32, fp16, bf16");
  }
}
