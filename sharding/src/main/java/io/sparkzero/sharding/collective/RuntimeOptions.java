package io.sparkzero.sharding.collective;

import java.nio.file.Path;

/**
 * Where the host's media driver lives, how long to wait for it, and how it idles when this JVM
 * runs it.
 *
 * @param aeronDir the media driver directory shared by the job's ranks on this host
 * @param driverTimeoutMs how long a client waits for the driver before giving up
 * @param driverIdleMaxParkUs longest sleep of the driver thread when it has nothing to do
 */
public record RuntimeOptions(Path aeronDir, long driverTimeoutMs, long driverIdleMaxParkUs) {

  /** Normalizes the directory and validates the timeouts, naming the key of a bad value. */
  public RuntimeOptions {
    if (aeronDir == null) {
      throw CollectiveOptionSpecs.AERON_DIR.invalid(null);
    }
    aeronDir = aeronDir.toAbsolutePath().normalize();
    CollectiveOptionSpecs.DRIVER_TIMEOUT_MS.checkRange(driverTimeoutMs,
        CollectiveOptionSpecs.DRIVER_TIMEOUT_MS_MIN, CollectiveOptionSpecs.DRIVER_TIMEOUT_MS_MAX);
    CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US.checkRange(driverIdleMaxParkUs,
        CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US_MIN,
        CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US_MAX);
  }

  /** Options for {@code aeronDir} with the default timeouts and idle strategy. */
  public static RuntimeOptions of(Path aeronDir) {
    return new RuntimeOptions(aeronDir,
        Long.parseLong(CollectiveOptionSpecs.DRIVER_TIMEOUT_MS.defaultValue()),
        Long.parseLong(CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US.defaultValue()));
  }

  /** The runtime a job with these collective options needs. */
  public static RuntimeOptions of(CollectiveOptions options) {
    return new RuntimeOptions(
        options.resolvedAeronDir(), options.driverTimeoutMs(), options.driverIdleMaxParkUs());
  }
}
