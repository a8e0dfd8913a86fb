package io.sparkzero.bench.checkpoint;

import java.nio.file.Path;

/**
 * {@link CheckpointIoBenchmark}'s command line, {@code DIR [SHARD_BYTES] [RANKS] [RUNS]}.
 *
 * @param dir local directory of the disk to measure; the store is made in a subfolder of it
 * @param shardBytes payload bytes of each rank's shard (its three arrays together); rounded down
 *     to a whole number of floats per array
 * @param ranks how many ranks (threads) write, read and fsync their shards at once
 * @param runs how many times the whole write, fsync, commit, read, verify sequence is timed
 */
record BenchArgs(Path dir, long shardBytes, int ranks, int runs) {
  static final long DEFAULT_SHARD_BYTES = 1L << 30;
  static final int DEFAULT_RANKS = 2;
  static final int DEFAULT_RUNS = 3;
  static final String USAGE = "usage: CheckpointIoBenchmark DIR [SHARD_BYTES] [RANKS] [RUNS]"
      + " (defaults " + DEFAULT_SHARD_BYTES + " " + DEFAULT_RANKS + " " + DEFAULT_RUNS + ")";

  BenchArgs {
    if (shardBytes < (long) Float.BYTES * RankIo.ARRAYS.size()) {
      throw new IllegalArgumentException("SHARD_BYTES " + shardBytes + " must hold at least one"
          + " float of each of " + RankIo.ARRAYS + "; " + USAGE);
    }
    if (ranks < 1 || ranks > 1024 || runs < 1) {
      throw new IllegalArgumentException("RANKS " + ranks + " must be 1..1024 and RUNS " + runs
          + " at least 1; " + USAGE);
    }
  }

  /** Parses the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static BenchArgs parse(String... args) {
    if (args.length < 1 || args.length > 4) {
      throw new IllegalArgumentException(USAGE);
    }
    long shardBytes = args.length > 1 ? number("SHARD_BYTES", args[1]) : DEFAULT_SHARD_BYTES;
    long ranks = args.length > 2 ? number("RANKS", args[2]) : DEFAULT_RANKS;
    long runs = args.length > 3 ? number("RUNS", args[3]) : DEFAULT_RUNS;
    if (ranks > Integer.MAX_VALUE || runs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("RANKS " + ranks + " or RUNS " + runs + " is too large");
    }
    return new BenchArgs(Path.of(args[0]), shardBytes, (int) ranks, (int) runs);
  }

  private static long number(String name, String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number (no suffix), not '"
          + text + "'; " + USAGE);
    }
  }

  /** Elements of each array in one rank's shard. */
  long floatsPerArray() {
    return shardBytes / ((long) Float.BYTES * RankIo.ARRAYS.size());
  }

  /** Payload bytes of all ranks' shards together: what every rate is counted in. */
  long payloadBytes() {
    return floatsPerArray() * Float.BYTES * RankIo.ARRAYS.size() * ranks;
  }
}
