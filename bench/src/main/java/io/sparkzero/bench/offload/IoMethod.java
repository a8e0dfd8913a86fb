package io.sparkzero.bench.offload;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The ways of doing the nvme offload tier's block I/O that {@link OffloadIoBenchmark} compares. */
enum IoMethod {
  /** Positional {@code FileChannel} calls through the page cache. */
  BUFFERED,
  /** Positional {@code FileChannel} calls with {@code O_DIRECT}: what {@code FileTier} uses. */
  DIRECT,
  /** {@code O_DIRECT} with each block cut into 4 requests in flight at once. */
  DIRECT_4,
  /** Copies to and from the file mapped {@code READ_WRITE}. */
  MMAP;

  /** The method's name in results. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  BlockIo open(Path file, int blockBytes) throws IOException {
    return switch (this) {
      case BUFFERED -> ChannelBlockIo.open(file, blockBytes, false);
      case DIRECT -> ChannelBlockIo.open(file, blockBytes, true);
      case DIRECT_4 -> ParallelBlockIo.open(file, blockBytes, 4);
      case MMAP -> MappedBlockIo.open(file, blockBytes, MappedBlockIo.MAX_REGION_BYTES);
    };
  }
}
