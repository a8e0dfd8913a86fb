package io.sparkzero.sharding.collective;

import java.util.Locale;

/** How a rank talks to its ring neighbours. */
public enum Transport {
  /** Shared memory when both ranks use the same media driver, UDP otherwise. */
  AUTO,
  /** Shared memory only; every rank must use the same media driver (same host and directory). */
  IPC,
  /** UDP always, also between ranks of one host (how tests exercise the network path). */
  UDP;

  /** The value as written in the job file. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The transport {@code text} names ({@code auto}, {@code ipc} or {@code udp}, any case), or null. */
  static Transport named(String text) {
    for (Transport t : values()) {
      if (t.configValue().equalsIgnoreCase(text.trim())) {
        return t;
      }
    }
    return null;
  }

  /**
   * Parses {@code auto}, {@code ipc} or {@code udp} (any case) as {@code collective.transport}
   * does, throwing a {@code ConfigException} that names the key when it is none.
   */
  public static Transport parse(String text) {
    return CollectiveOptionSpecs.TRANSPORT.parse(text);
  }
}
