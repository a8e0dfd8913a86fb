package io.sparkzero.sharding.plan;

import java.util.Locale;

/** Byte counts in binary units for people to read. */
public final class Bytes {
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private Bytes() {}

  /**
   * {@code "512 B"} below 1 KiB, else one decimal in the largest unit that keeps the value under
   * 1024 once rounded: {@code "1.5 KiB"}, {@code "320.0 MiB"}, {@code "1.2 GiB"}.
   */
  public static String format(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("a byte count cannot be negative, got " + bytes);
    }
    if (bytes < 1024) {
      return bytes + " B";
    }
    int unit = 0;
    double value = bytes / 1024.0;
    while (unit < UNITS.length - 1 && Math.round(value * 10) >= 10240) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
