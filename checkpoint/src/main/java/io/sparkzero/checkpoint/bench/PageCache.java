package io.sparkzero.checkpoint.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Empties the kernel's page cache before a timed read ({@code sync; echo 3 >
 * /proc/sys/vm/drop_caches}, which needs root outside a container's read-only {@code /proc/sys}),
 * so that the shards just written are read from the disk and not from memory. A failed drop warns
 * once on stderr and is reported, so a run can say that its reads may have been cached.
 */
final class PageCache {
  private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

  private boolean warned;

  /**
   * Writes dirty pages back, then drops the clean ones (only clean pages can be dropped).
   *
   * @return whether the cache was dropped
   */
  boolean drop() {
    try {
      Process sync = new ProcessBuilder("sync").inheritIO().start();
      if (sync.waitFor() != 0) {
        throw new IOException("sync exited with status " + sync.exitValue());
      }
      Files.writeString(DROP_CACHES, "3");
      return true;
    } catch (IOException e) {
      if (!warned) {
        System.err.println("WARNING: cannot drop the page cache (sync, then writing 3 to "
            + DROP_CACHES + ": " + e + "); reads may be served from memory, not the disk. Run as"
            + " root outside a container. Such runs say \"cache_dropped\": false.");
        warned = true;
      }
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for sync", e);
    }
  }
}
