package io.sparkzero.bench.offload;

import java.nio.file.Path;

/**
 * {@link OffloadIoBenchmark}'s command line, {@code DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS]},
 * checked so that every block is whole and aligned for direct I/O.
 */
record BenchArgs(Path dir, long fileBytes, int blockBytes, int runs) {
  static final long DEFAULT_FILE_BYTES = 2L << 30;
  static final int DEFAULT_BLOCK_BYTES = 8 << 20;
  static final int DEFAULT_RUNS = 5;
  static final String USAGE = "usage: OffloadIoBenchmark DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS]"
      + " (defaults " + DEFAULT_FILE_BYTES + " " + DEFAULT_BLOCK_BYTES + " " + DEFAULT_RUNS + ")";

  BenchArgs {
    if (blockBytes <= 0 || blockBytes % OffloadIoBenchmark.ALIGN_BYTES != 0
        || blockBytes > MappedBlockIo.MAX_REGION_BYTES) {
      throw new IllegalArgumentException("BLOCK_BYTES " + blockBytes + " must be a positive"
          + " multiple of " + OffloadIoBenchmark.ALIGN_BYTES + " (direct I/O alignment) of at most "
          + MappedBlockIo.MAX_REGION_BYTES);
    }
    if (fileBytes <= 0 || fileBytes % blockBytes != 0
        || fileBytes / blockBytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("FILE_BYTES " + fileBytes + " must be a positive"
          + " multiple of BLOCK_BYTES " + blockBytes);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("RUNS " + runs + " must be at least 1");
    }
  }

  /** Parses the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static BenchArgs parse(String... args) {
    if (args.length < 1 || args.length > 4) {
      throw new IllegalArgumentException(USAGE);
    }
    long fileBytes = args.length > 1 ? number("FILE_BYTES", args[1]) : DEFAULT_FILE_BYTES;
    long blockBytes = args.length > 2 ? number("BLOCK_BYTES", args[2]) : DEFAULT_BLOCK_BYTES;
    long runs = args.length > 3 ? number("RUNS", args[3]) : DEFAULT_RUNS;
    if (blockBytes > Integer.MAX_VALUE || runs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("BLOCK_BYTES " + blockBytes + " or RUNS " + runs
          + " is too large");
    }
    return new BenchArgs(Path.of(args[0]), fileBytes, (int) blockBytes, (int) runs);
  }

  private static long number(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number (bytes, no suffix), not '"
          + text + "'; " + USAGE);
    }
  }

  /** Blocks in the file. */
  int blocks() {
    return (int) (fileBytes / blockBytes);
  }
}
