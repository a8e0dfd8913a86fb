package io.sparkzero.sharding.collective;

import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.AERON_DIR;
import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.DRIVER_IDLE_MAX_PARK_US;
import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.DRIVER_TIMEOUT_MS;
import static io.sparkzero.sharding.collective.CollectiveOptionSpecs.TIMEOUT_MS;

import io.sparkzero.sharding.options.ConfigException;
import java.nio.file.Path;

/**
 * Where the host's media driver lives, how long to wait for it, and how it idles when this JVM
 * runs it.
 *
 * @param aeronDir the media driver directory shared by the job's ranks on this host
 * @param driverTimeoutMs how long a client waits for the driver before giving up
 * @param driverIdleMaxParkUs longest sleep of the driver thread when it has nothing to do
 * @param collectiveTimeoutMs {@code collective.timeout-ms}: Aeron's own liveness limits are set
 *     above it ({@link #livenessTimeoutMs()}), so that a paused rank or driver is judged by the
 *     collective timeout and not by Aeron's 10 s defaults
 */
public record RuntimeOptions(Path aeronDir, long driverTimeoutMs, long driverIdleMaxParkUs,
    long collectiveTimeoutMs) {

  /** Aeron's default client and image liveness limit. */
  private static final long AERON_DEFAULT_LIVENESS_MS = 10_000;
  /** How far Aeron's limits stay above the collective timeout, so the collective's fires first. */
  private static final long LIVENESS_MARGIN_MS = 5_000;

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
    TIMEOUT_MS.check(collectiveTimeoutMs);
  }

  /** With the default collective timeout. */
  public RuntimeOptions(Path aeronDir, long driverTimeoutMs, long driverIdleMaxParkUs) {
    this(aeronDir, driverTimeoutMs, driverIdleMaxParkUs, TIMEOUT_MS.defaultValue());
  }

  /** Options for {@code aeronDir} with the default timeouts and idle strategy. */
  public static RuntimeOptions of(Path aeronDir) {
    return new RuntimeOptions(
        aeronDir, DRIVER_TIMEOUT_MS.defaultValue(), DRIVER_IDLE_MAX_PARK_US.defaultValue());
  }

  /** The runtime a job with these collective options needs. */
  public static RuntimeOptions of(CollectiveOptions options) {
    return new RuntimeOptions(options.resolvedAeronDir(), options.driverTimeoutMs(),
        options.driverIdleMaxParkUs(), options.timeoutMs());
  }

  /**
   * The media driver's client, image and publication liveness limits: the collective timeout (at
   * least Aeron's 10 s default) plus 5 s. A client or driver silent for less (a GC pause, a
   * stopped process) is waited for; one silent for longer has already failed its collective.
   */
  public long livenessTimeoutMs() {
    return Math.max(collectiveTimeoutMs, AERON_DEFAULT_LIVENESS_MS) + LIVENESS_MARGIN_MS;
  }

  /** How long a client waits for its driver, at start and when the driver goes quiet. */
  public long clientDriverTimeoutMs() {
    return Math.max(driverTimeoutMs, livenessTimeoutMs());
  }
}
