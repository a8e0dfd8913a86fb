package io.sparkzero.worker.offload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Empties the kernel's page cache before a timed pass, so that buffered and mapped reads come from
 * the disk and not from memory ({@code sync; echo 3 > /proc/sys/vm/drop_caches}, which needs root
 * outside a container's read-only {@code /proc/sys}). When that fails it warns once on stderr and
 * remembers, so the result can say that its reads may have been cached.
 */
final class PageCache {
  private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

  private boolean alwaysDropped = true;

  /** Writes dirty pages back, then drops the clean ones (only clean pages can be dropped). */
  void drop() {
    try {
      Process sync = new ProcessBuilder("sync").inheritIO().start();
      if (sync.waitFor() != 0) {
        throw new IOException("sync exited with status " + sync.exitValue());
      }
      Files.writeString(DROP_CACHES, "3");
    } catch (IOException e) {
      if (alwaysDropped) {
        System.err.println("WARNING: cannot drop the page cache (writing 3 to " + DROP_CACHES
            + ": " + e + "); buffered and mmap reads may be served from memory, not the disk."
            + " Run as root outside a container. Results say \"cache_dropped\": false.");
      }
      alwaysDropped = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for sync", e);
    }
  }

  /** Whether every {@link #drop} so far succeeded. */
  boolean alwaysDropped() {
    return alwaysDropped;
  }
}
