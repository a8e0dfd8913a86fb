package io.sparkzero.checkpoint;

/**
 * How a {@link CheckpointStore} writes shards. Readers need neither value: each shard's header
 * records its block size, so a step written with one setting loads under any other.
 *
 * @param blockFloats floats per checksummed block, {@value #BLOCK_FLOATS_MIN}..{@value
 *     #BLOCK_FLOATS_MAX}; default {@value #DEFAULT_BLOCK_FLOATS} (1 MiB). A range read fetches and
 *     checks whole blocks, so smaller blocks cost less for small reads and more CRC fields;
 *     tests use a handful of floats to cross many block boundaries
 * @param writeBufferBytes bytes buffered in front of the FileSystem's output stream, {@value
 *     #WRITE_BUFFER_BYTES_MIN}..{@value #WRITE_BUFFER_BYTES_MAX}; default {@value
 *     #DEFAULT_WRITE_BUFFER_BYTES}
 */
public record CheckpointOptions(int blockFloats, int writeBufferBytes) {

  public static final int DEFAULT_BLOCK_FLOATS = 256 * 1024;
  public static final int BLOCK_FLOATS_MIN = 1;
  /** 64 MiB blocks: a reader holds one block in memory. */
  public static final int BLOCK_FLOATS_MAX = 16 * 1024 * 1024;
  public static final int DEFAULT_WRITE_BUFFER_BYTES = 1024 * 1024;
  public static final int WRITE_BUFFER_BYTES_MIN = 512;
  public static final int WRITE_BUFFER_BYTES_MAX = 256 * 1024 * 1024;

  /** 1 MiB blocks, a 1 MiB write buffer. */
  public static final CheckpointOptions DEFAULTS =
      new CheckpointOptions(DEFAULT_BLOCK_FLOATS, DEFAULT_WRITE_BUFFER_BYTES);

  /** Validates both values, naming the one out of range. */
  public CheckpointOptions {
    if (blockFloats < BLOCK_FLOATS_MIN || blockFloats > BLOCK_FLOATS_MAX) {
      throw new IllegalArgumentException("checkpoint blockFloats=" + blockFloats
          + " is not allowed: expected " + BLOCK_FLOATS_MIN + ".." + BLOCK_FLOATS_MAX);
    }
    if (writeBufferBytes < WRITE_BUFFER_BYTES_MIN || writeBufferBytes > WRITE_BUFFER_BYTES_MAX) {
      throw new IllegalArgumentException("checkpoint writeBufferBytes=" + writeBufferBytes
          + " is not allowed: expected " + WRITE_BUFFER_BYTES_MIN + ".." + WRITE_BUFFER_BYTES_MAX);
    }
  }

  /** The defaults with another block size. */
  public static CheckpointOptions withBlockFloats(int blockFloats) {
    return new CheckpointOptions(blockFloats, DEFAULT_WRITE_BUFFER_BYTES);
  }
}
