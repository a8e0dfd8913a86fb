package io.sparkzero.worker.data;

import java.io.Serializable;

/**
 * What a rank's data stream did in an epoch.
 *
 * @param skippedRecords bad records skipped while reading (the source's {@code skip} policy)
 * @param readExamplesPerS examples the reader delivered per second of its own time (waits for
 *     room in the read-ahead excluded): what it could sustain
 * @param waitNanos time the training thread waited for the reader: zero when it keeps ahead
 */
public record StreamStats(long skippedRecords, double readExamplesPerS, long waitNanos)
    implements Serializable {

  /** Held data: nothing streamed. */
  public static final StreamStats NONE = new StreamStats(0, 0, 0);
}
