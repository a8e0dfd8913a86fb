package io.sparkzero.checkpoint;

/**
 * How a {@link CheckpointStore} writes shards. Readers need none of the values: each shard's
 * header records its block size, so a step written with one setting loads under any other.
 *
 * @param blockFloats floats per checksummed block, {@value #BLOCK_FLOATS_MIN}..{@value
 *     #BLOCK_FLOATS_MAX}; default {@value #DEFAULT_BLOCK_FLOATS} (1 MiB). A range read fetches and
 *     checks whole blocks, so smaller blocks cost less for small reads and more CRC fields;
 *     tests use a handful of floats to cross many block boundaries
 * @param writeBufferBytes bytes buffered in front of the FileSystem's output stream, {@value
 *     #WRITE_BUFFER_BYTES_MIN}..{@value #WRITE_BUFFER_BYTES_MAX}; default {@value
 *     #DEFAULT_WRITE_BUFFER_BYTES}
 * @param fileMode the POSIX mode of every file the store creates (shards, manifests, the lease),
 *     e.g. {@code 0600}, the default: owner only; directories get it with search added wherever it
 *     grants read ({@code 0700}). The owner must have read and write. HDFS still applies its
 *     {@code fs.permissions.umask-mode} on top.
 */
public record CheckpointOptions(int blockFloats, int writeBufferBytes, int fileMode) {

  public static final int DEFAULT_FILE_MODE = 0600;

  public static final int DEFAULT_BLOCK_FLOATS = 256 * 1024;
  public static final int BLOCK_FLOATS_MIN = 1;
  /** 64 MiB blocks: a reader holds one block in memory. */
  public static final int BLOCK_FLOATS_MAX = 16 * 1024 * 1024;
  public static final int DEFAULT_WRITE_BUFFER_BYTES = 1024 * 1024;
  public static final int WRITE_BUFFER_BYTES_MIN = 512;
  public static final int WRITE_BUFFER_BYTES_MAX = 256 * 1024 * 1024;

  /** 1 MiB blocks, a 1 MiB write buffer. */
  public static final CheckpointOptions DEFAULTS =
      new CheckpointOptions(DEFAULT_BLOCK_FLOATS, DEFAULT_WRITE_BUFFER_BYTES, DEFAULT_FILE_MODE);

  /** With the default (owner-only) file mode. */
  public CheckpointOptions(int blockFloats, int writeBufferBytes) {
    this(blockFloats, writeBufferBytes, DEFAULT_FILE_MODE);
  }

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
    if ((fileMode & ~0777) != 0 || (fileMode & 0600) != 0600) {
      throw new IllegalArgumentException("checkpoint file mode " + Integer.toOctalString(fileMode)
          + " is not allowed: expected an octal mode up to 777 that gives the owner read and write (6xx or 7xx)");
    }
  }

  /** These options with another file mode. */
  public CheckpointOptions withFileMode(int mode) {
    return new CheckpointOptions(blockFloats, writeBufferBytes, mode);
  }

  /** The permission of the files the store creates. */
  org.apache.hadoop.fs.permission.FsPermission filePermission() {
    return new org.apache.hadoop.fs.permission.FsPermission((short) fileMode);
  }

  /** The permission of its directories: the file mode, searchable wherever it is readable. */
  org.apache.hadoop.fs.permission.FsPermission dirPermission() {
    return new org.apache.hadoop.fs.permission.FsPermission((short) (fileMode | (fileMode & 0444) >>> 2));
  }

  /** The defaults with another block size. */
  public static CheckpointOptions withBlockFloats(int blockFloats) {
    return new CheckpointOptions(blockFloats, DEFAULT_WRITE_BUFFER_BYTES);
  }
}
