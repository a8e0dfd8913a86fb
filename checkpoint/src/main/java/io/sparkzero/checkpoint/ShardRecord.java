package io.sparkzero.checkpoint;

/**
 * A finished shard as the manifest lists it; returned by {@link ShardWriter#finish()}.
 *
 * @param rank the rank that wrote it
 * @param file the file's name relative to the step directory, e.g. {@code rank-00003.shard}
 * @param from first global element of the shard
 * @param to one past its last global element
 * @param bytes the file's length in bytes; a file of another length is truncated or damaged
 * @param headerCrc32c CRC32C of the shard's header (an unsigned 32-bit value): ties the manifest
 *     to this very file, not to another attempt's shard of the same rank
 */
public record ShardRecord(
    int rank, String file, long from, long to, long bytes, long headerCrc32c) {

  /** Validates the fields; a file name must be a plain name inside the step directory. */
  public ShardRecord {
    if (rank < 0 || from < 0 || to < from || bytes <= 0
        || headerCrc32c < 0 || headerCrc32c > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("shard record of rank " + rank + " [" + from + ", " + to
          + "), " + bytes + " bytes, header CRC32C " + headerCrc32c + " is invalid: expected rank"
          + " >= 0, 0 <= from <= to, bytes > 0 and an unsigned 32-bit CRC");
    }
    if (file == null || file.isEmpty() || file.contains("/") || file.startsWith(".")) {
      throw new IllegalArgumentException("shard record of rank " + rank + ": file '" + file
          + "' must be a plain name in the step directory (no '/', not hidden)");
    }
  }

  /** Elements each array of the shard holds. */
  public long length() {
    return to - from;
  }
}
