package io.sparkzero.bench.checkpoint;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link CheckpointIoBenchmark}'s command line, {@code DIR [SHARD_BYTES] [RANKS] [RUNS]}.
 *
 * @param dir local directory of the disk to measure; the store is made in a subfolder of it
 * @param shardBytes payload bytes of each rank's shard (its three arrays together); rounded down
 *     to a whole number of floats per array
 * @param ranks how many ranks (threads) write, read and fsync their shards at once
 * @param runs how many times the whole write, fsync, commit, read, verify sequence is timed
 */
record CheckpointIoArgs(Path dir, long shardBytes, int ranks, int runs) {
  static final BenchOption<Path> DIR =
      BenchOption.required("DIR", new Allowed<>("a directory path", Path::of));
  static final BenchOption<Long> SHARD_BYTES = BenchOption.optional("SHARD_BYTES", 1L << 30,
      Allowed.longIn((long) Float.BYTES * RankIo.ARRAYS.size(), Long.MAX_VALUE).describedAs(
          "a whole number of bytes (no suffix) that holds at least one float of each of "
              + RankIo.ARRAYS));
  static final BenchOption<Integer> RANKS =
      BenchOption.optional("RANKS", 2, Allowed.intIn(1, 1024));
  static final BenchOption<Integer> RUNS =
      BenchOption.optional("RUNS", 3, Allowed.intIn(1, Integer.MAX_VALUE));

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static CheckpointIoArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("CheckpointIoBenchmark",
        List.of(DIR, SHARD_BYTES, RANKS, RUNS), argv);
    return new CheckpointIoArgs(
        args.get(DIR), args.get(SHARD_BYTES), args.get(RANKS), args.get(RUNS));
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
