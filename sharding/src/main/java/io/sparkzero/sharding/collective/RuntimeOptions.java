package io.sparkzero.sharding.collective;

import java.nio.file.Path;

/**
 * Where the host's media driver lives and how long to wait for it.
 *
 * @param aeronDir the media driver directory shared by the job's ranks on this host
 * @param driverTimeoutMs how long a client waits for the driver before giving up
 */
public record RuntimeOptions(Path aeronDir, long driverTimeoutMs) {

  public RuntimeOptions {
    if (aeronDir == null) {
      throw CollectiveOptionSpecs.AERON_DIR.invalid(null);
    }
    aeronDir = aeronDir.toAbsolutePath().normalize();
    CollectiveOptionSpecs.DRIVER_TIMEOUT_MS.checkRange(driverTimeoutMs,
        CollectiveOptionSpecs.DRIVER_TIMEOUT_MS_MIN, CollectiveOptionSpecs.DRIVER_TIMEOUT_MS_MAX);
  }

  /** The runtime a job with these collective options needs. */
  public static RuntimeOptions of(CollectiveOptions options) {
    return new RuntimeOptions(options.resolvedAeronDir(), options.driverTimeoutMs());
  }
}
