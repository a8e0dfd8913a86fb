package io.sparkzero.worker.concurrent;

import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J binds arrays to the device of the thread that creates them, so a rank's helper threads
 * take the device of the thread that starts them: {@code int d = RankDevice.current();} there,
 * {@code RankDevice.use(d);} first thing in the new thread. Both are no-ops on the CPU backend.
 */
public final class RankDevice {
  private RankDevice() {}

  /** The ND4J device of the calling thread (0 on the CPU backend). */
  public static int current() {
    return Nd4j.getAffinityManager().getDeviceForCurrentThread();
  }

  /** Binds the calling thread to ND4J device {@code device}. */
  public static void use(int device) {
    Nd4j.getAffinityManager().unsafeSetDevice(device);
  }
}
