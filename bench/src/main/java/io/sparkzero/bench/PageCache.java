package io.sparkzero.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Empties the kernel's page cache before a timed pass, so that reads come from the disk and not
 * from memory ({@code sync; echo 3 > /proc/sys/vm/drop_caches}, which needs root outside a
 * container's read-only {@code /proc/sys}). A failed drop warns once on stderr and is remembered,
 * so a benchmark can report that its reads may have been cached.
 */
public final class PageCache {
  private static final Path DROP_CACHES = Path.of("/proc/sys/vm/drop_caches");

  private boolean alwaysDropped = true;

  /**
   * Writes dirty pages back, then drops the clean ones (only clean pages can be dropped).
   *
   * @return whether the cache was dropped
   */
  public boolean drop() {
    try {
      Process sync = new ProcessBuilder("sync").inheritIO().start();
      if (sync.waitFor() != 0) {
        throw new IOException("sync exited with status " + sync.exitValue());
      }
      Files.writeString(DROP_CACHES, "3");
      return true;
    } catch (IOException e) {
      if (alwaysDropped) {
        System.err.println("WARNING: cannot drop the page cache (sync, then writing 3 to "
            + DROP_CACHES + ": " + e + "); reads may be served from memory, not the disk. Run as"
            + " root outside a container. Such runs say \"cache_dropped\": false.");
      }
      alwaysDropped = false;
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for sync", e);
    }
  }

  /** Whether every {@link #drop} so far succeeded. */
  public boolean alwaysDropped() {
    return alwaysDropped;
  }
}
