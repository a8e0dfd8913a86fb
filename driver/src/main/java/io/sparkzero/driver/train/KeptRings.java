package io.sparkzero.driver.train;

import io.sparkzero.sharding.collective.Collectives;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each rank's ring, kept open in its executor from one epoch's stage to the next, as its trainer
 * is ({@link io.sparkzero.worker.session.ExecutorRuntime}): a stage whose ranks all kept the ring
 * they built together takes it up again instead of building a new one, which costs each rank a
 * new publication, whose log buffers the media driver allocates in full (a few hundred ms at the
 * default term size).
 */
final class KeptRings {
  private static final Map<String, Kept> RINGS = new ConcurrentHashMap<>();

  private KeptRings() {}

  /**
   * A kept ring.
   *
   * @param ringId names the gathering that built it: the same on every rank of the ring
   */
  record Kept(String ringId, Collectives collectives) {}

  /** Takes rank {@code rank}'s kept ring of job {@code jobId} out of the keeping, or null. */
  static Kept take(String jobId, int rank) {
    return RINGS.remove(key(jobId, rank));
  }

  /** Keeps {@code collectives} for the rank's next stage; a ring kept before is closed. */
  static void keep(String jobId, int rank, String ringId, Collectives collectives) {
    Kept old = RINGS.put(key(jobId, rank), new Kept(ringId, collectives));
    if (old != null && old.collectives() != collectives) {
      old.collectives().close();
    }
  }

  /** Closes every ring job {@code jobId} kept in this JVM (its end, in local mode). */
  static void release(String jobId) {
    RINGS.entrySet().removeIf(e -> {
      if (e.getKey().startsWith(jobId + "/")) {
        e.getValue().collectives().close();
        return true;
      }
      return false;
    });
  }

  private static String key(String jobId, int rank) {
    return jobId + "/" + rank;
  }
}
