package io.sparkzero.worker.session;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-executor-JVM home of rank state between the stages of a job. A Spark task is short-lived
 * and an executor keeps no user state between tasks, so this registry is the one place a rank's
 * model, optimizer state and data partition survive from one epoch's barrier stage to the next.
 * Entries are keyed by job and rank; a rank scheduled on another executor next time finds nothing
 * here and receives the state from a peer over Aeron instead (see {@link RankSession}).
 */
public final class ExecutorRuntime {
  private static final Map<String, RankState> STATES = new ConcurrentHashMap<>();

  private ExecutorRuntime() {}

  /** Removes and returns the state of (job, rank), or null. */
  static RankState take(String jobId, int rank) {
    return STATES.remove(key(jobId, rank));
  }

  /** Keeps the state of (job, rank) for the next stage. */
  static void put(String jobId, int rank, RankState state) {
    STATES.put(key(jobId, rank), state);
  }

  /** Drops every state of a job (at its end, or after a failure), freeing its offloaded state. */
  public static void release(String jobId) {
    var entries = STATES.entrySet().iterator();
    while (entries.hasNext()) {
      var entry = entries.next();
      if (entry.getKey().startsWith(jobId + "/")) {
        entries.remove();
        entry.getValue().trainer().close();
      }
    }
  }

  private static String key(String jobId, int rank) {
    return jobId + "/" + rank;
  }
}
