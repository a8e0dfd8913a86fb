package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.AERON_DIR;
import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US;
import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.DRIVER_TIMEOUT_MS;

import io.sparkzero.sharding.options.ConfigException;
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

  /**
   * Normalizes the directory and checks the timeouts with their options' specs; a bad value
   * throws a {@link ConfigException} naming its key.
   */
  public RuntimeOptions {
    if (aeronDir == null) {
      throw new ConfigException(AERON_DIR.key(), "null", "a local directory path");
    }
    aeronDir = aeronDir.toAbsolutePath().normalize();
    DRIVER_TIMEOUT_MS.check(driverTimeoutMs);
    DRIVER_IDLE_MAX_PARK_US.check(driverIdleMaxParkUs);
  }

  /** Options for {@code aeronDir} with the default timeouts and idle strategy. */
  public static RuntimeOptions of(Path aeronDir) {
    return new RuntimeOptions(
        aeronDir, DRIVER_TIMEOUT_MS.defaultValue(), DRIVER_IDLE_MAX_PARK_US.defaultValue());
  }

  /** The runtime a job with these collective options needs. */
  public static RuntimeOptions of(CollectiveOptions options) {
    return new RuntimeOptions(
        options.resolvedAeronDir(), options.driverTimeoutMs(), options.driverIdleMaxParkUs());
  }
}
