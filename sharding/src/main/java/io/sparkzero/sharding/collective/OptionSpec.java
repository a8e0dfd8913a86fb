package io.sparkzero.sharding.collective;

/**
 * One configuration option as the job file and the driver's option registry see it: its key, its
 * default written as text, what values are allowed, and a one-line description.
 *
 * @param key the job-file key, e.g. {@code collective.timeout-ms}
 * @param defaultValue the default, as it would be written in the job file
 * @param allowed the allowed values in words, e.g. {@code "1000..3600000"}
 * @param doc one line saying what the option controls
 */
public record OptionSpec(String key, String defaultValue, String allowed, String doc) {

  /** The error to throw when {@code value} is not allowed for this option. */
  public IllegalArgumentException invalid(Object value) {
    return new IllegalArgumentException(
        key + "=" + value + " is not allowed: expected " + allowed + " (" + doc + ")");
  }

  /** Returns {@code value} when it lies in {@code [min, max]}, else throws {@link #invalid}. */
  public long checkRange(long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(value);
    }
    return value;
  }

  /** Parses a whole number given as text for this option, naming the key when it is not one. */
  public long parseLong(String text) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw invalid("'" + text + "'");
    }
  }
}
