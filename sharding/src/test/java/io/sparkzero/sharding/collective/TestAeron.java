package io.sparkzero.sharding.collective;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Aeron fixtures for tests: a media driver on a fresh directory, and small-stream options. */
final class TestAeron {
  private TestAeron() {}

  /** A fresh Aeron directory path (in memory where /dev/shm exists); not created yet. */
  static Path freshDir() {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    return parent.resolve("spark-zero-test-" + UUID.randomUUID());
  }

  /** A runtime with its own driver on a fresh directory; close it after the test. */
  static AeronRuntime startRuntime(Path dir) {
    return AeronRuntime.acquire(new RuntimeOptions(dir, 10_000, 100));
  }

  /**
   * Options that force many chunks, several buckets and small (1 MiB) terms, so tests exercise
   * chunking, flow control and term rotation without mapping much memory.
   */
  static CollectiveOptions.Builder smallStreams(long token, Path dir, Transport transport) {
    return CollectiveOptions.builder(token)
        .transport(transport)
        .aeronDir(dir)
        .chunkBytes(256)
        .bucketBytes(64 * 1024)
        .termBytes(1 << 20)
        .timeoutMs(20_000);
  }
}
