package io.sparkzero.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** Reading fields of metrics lines, where a field that is missing means "not measured". */
final class Fields {

  private static final double MIB = 1024.0 * 1024.0;

  private Fields() {}

  /** The field as a number, NaN when missing or not a number (never 0). */
  static double number(JsonNode line, String field) {
    JsonNode value = line == null ? null : line.get(field);
    return value != null && value.isNumber() ? value.asDouble() : Double.NaN;
  }

  /** The field from each line, NaN where it is missing. */
  static double[] column(List<? extends JsonNode> lines, String field) {
    double[] out = new double[lines.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = number(lines.get(i), field);
    }
    return out;
  }

  /** {@code bytes} in MiB, NaN kept. */
  static double mib(double bytes) {
    return bytes / MIB;
  }

  /** The field as text, {@code whenMissing} when absent or null. */
  static String text(JsonNode line, String field, String whenMissing) {
    JsonNode value = line == null ? null : line.get(field);
    return value == null || value.isNull() ? whenMissing : value.asText();
  }

  /** A number for a table: whole numbers without decimals, others to 4 significant digits. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "not measured";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return String.format(Locale.ROOT, "%d", (long) value);
    }
    return String.format(Locale.ROOT, "%.4g", value);
  }

  /** Bytes for a table, in MiB or GiB. */
  static String bytes(double value) {
    if (Double.isNaN(value)) {
      return "not measured";
    }
    double mib = mib(value);
    return mib >= 1024 ? String.format(Locale.ROOT, "%.2f GiB", mib / 1024)
        : String.format(Locale.ROOT, "%.1f MiB", mib);
  }

  /** A fraction (0-1) as a percentage. */
  static String percent(double fraction) {
    return Double.isNaN(fraction) ? "not measured"
        : String.format(Locale.ROOT, "%.2f %%", fraction * 100);
  }

  /** A duration as {@code 1h 02m 03s}, {@code 4m 05s} or {@code 6.7s}. */
  static String duration(double seconds) {
    if (Double.isNaN(seconds)) {
      return "not measured";
    }
    long s = Math.round(seconds);
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    return s >= 3600 ? String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
  }

  /** Milliseconds since the epoch as an ISO instant (UTC), to the second. */
  static String instant(double timeMs) {
    return Double.isNaN(timeMs) ? "unknown"
        : Instant.ofEpochMilli((long) timeMs).truncatedTo(ChronoUnit.SECONDS)
            .toString();
  }
}
