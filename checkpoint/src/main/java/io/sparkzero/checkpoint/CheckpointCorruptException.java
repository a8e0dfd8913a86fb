package io.sparkzero.checkpoint;

/**
 * A checkpoint file is damaged or does not match its manifest: truncated, zero length, bad magic,
 * unsupported version, CRC32C mismatch, missing shard file, a manifest whose shards leave a gap or
 * overlap, or a shard whose header disagrees with what the manifest recorded.
 *
 * <p>The message names the file, the byte offset (and block, where there is one) and what is
 * wrong, and ends with what to do: a damaged step cannot be repaired, so resume from an older
 * committed step.
 */
public final class CheckpointCorruptException extends RuntimeException {

  /** {@link #offsetBytes()} when the problem concerns the whole file, not one place in it. */
  public static final long WHOLE_FILE = -1;

  private final String file;
  private final long offsetBytes;

  /**
   * @param file the damaged file's full URI
   * @param offsetBytes byte offset of the damaged part, or {@link #WHOLE_FILE}
   * @param problem what is wrong, e.g. "block 3 of array 'params': CRC32C mismatch"
   */
  public CheckpointCorruptException(String file, long offsetBytes, String problem) {
    this(file, offsetBytes, problem, null);
  }

  /** As {@link #CheckpointCorruptException(String, long, String)}, keeping the I/O error seen. */
  public CheckpointCorruptException(
      String file, long offsetBytes, String problem, Throwable cause) {
    super("corrupt checkpoint file " + file
        + (offsetBytes == WHOLE_FILE ? "" : " at byte " + offsetBytes) + ": " + problem
        + ". This step cannot be loaded; resume from an older committed step.", cause);
    this.file = file;
    this.offsetBytes = offsetBytes;
  }

  /** The damaged file's full URI. */
  public String file() {
    return file;
  }

  /** Byte offset of the damaged part in {@link #file()}, or {@link #WHOLE_FILE}. */
  public long offsetBytes() {
    return offsetBytes;
  }
}
