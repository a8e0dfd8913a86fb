package io.sparkzero.bench.offload;

import io.sparkzero.bench.Allowed;
import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchOption;
import java.nio.file.Path;
import java.util.List;

/**
 * {@link OffloadIoBenchmark}'s command line, {@code DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS]},
 * checked so that every block is whole and aligned for direct I/O.
 */
record OffloadIoArgs(Path dir, long fileBytes, int blockBytes, int runs) {
  static final BenchOption<Path> DIR =
      BenchOption.required("DIR", new Allowed<>("a directory path", Path::of));
  static final BenchOption<Long> FILE_BYTES = BenchOption.optional("FILE_BYTES", 2L << 30,
      Allowed.longIn(1, Long.MAX_VALUE).describedAs(
          "a whole number of bytes (no suffix), a positive multiple of BLOCK_BYTES"));
  static final BenchOption<Integer> BLOCK_BYTES = BenchOption.optional("BLOCK_BYTES", 8 << 20,
      Allowed.intIn(1, (int) MappedBlockIo.MAX_REGION_BYTES).where(
          b -> b % OffloadIoBenchmark.ALIGN_BYTES == 0,
          "a whole number of bytes (no suffix), a positive multiple of "
              + OffloadIoBenchmark.ALIGN_BYTES + " (direct I/O alignment) of at most "
              + MappedBlockIo.MAX_REGION_BYTES));
  static final BenchOption<Integer> RUNS =
      BenchOption.optional("RUNS", 5, Allowed.intIn(1, Integer.MAX_VALUE));

  /** Reads the command line, or throws {@link IllegalArgumentException} saying what is wrong. */
  static OffloadIoArgs parse(String... argv) {
    BenchArgs args = BenchArgs.parse("OffloadIoBenchmark",
        List.of(DIR, FILE_BYTES, BLOCK_BYTES, RUNS), argv);
    long fileBytes = args.get(FILE_BYTES);
    int blockBytes = args.get(BLOCK_BYTES);
    if (fileBytes % blockBytes != 0 || fileBytes / blockBytes > Integer.MAX_VALUE) {
      throw args.invalid(FILE_BYTES, fileBytes, "a positive multiple of BLOCK_BYTES " + blockBytes
          + ", at most " + Integer.MAX_VALUE + " blocks");
    }
    return new OffloadIoArgs(args.get(DIR), fileBytes, blockBytes, args.get(RUNS));
  }

  /** Blocks in the file. */
  int blocks() {
    return (int) (fileBytes / blockBytes);
  }
}
