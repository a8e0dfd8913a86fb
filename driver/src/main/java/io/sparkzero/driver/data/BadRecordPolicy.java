package io.sparkzero.driver.data;

import java.util.Locale;

/**
 * What a data source does with a record it cannot use: the job option {@value #OPTION_KEY}
 * ({@code fail | skip}).
 *
 * <p>The policy covers single records only (a truncated last image, a label out of range, a
 * Parquet row with a null column). Damage that makes every record suspect, such as a bad IDX
 * header or a corrupt gzip stream, stops the load under both policies.
 */
public enum BadRecordPolicy {
  /** Stop the load at the first bad record with a {@link DataFormatException} that names it. */
  FAIL,
  /** Leave bad records out, count them and keep the first few in the {@link BadRecordReport}. */
  SKIP;

  /** The job option that selects the policy. */
  public static final String OPTION_KEY = "data.on-bad-record";

  /**
   * Parses the option value, case-insensitively.
   *
   * @throws IllegalArgumentException naming the option and the allowed values
   */
  public static BadRecordPolicy parse(String value) {
    String normalized = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    for (BadRecordPolicy policy : values()) {
      if (policy.optionValue().equals(normalized)) {
        return policy;
      }
    }
    throw new IllegalArgumentException(
        OPTION_KEY + " = '" + value + "' is not allowed; use 'fail' (stop at the first bad record)"
            + " or 'skip' (leave bad records out and report them)");
  }

  /** The value as written in a job file. */
  public String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
