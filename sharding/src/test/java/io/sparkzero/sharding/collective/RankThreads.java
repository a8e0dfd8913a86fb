package io.sparkzero.sharding.collective;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one body per rank on its own thread, like Spark task threads of one executor. */
final class RankThreads {
  /** What one rank does with its rendezvous. */
  interface Body<T> {
    T run(Rendezvous rendezvous) throws Exception;
  }

  private RankThreads() {}

  /** Runs {@code body} for every rank and returns the results by rank; rethrows the first failure. */
  static <T> List<T> run(int worldSize, Body<T> body) throws Exception {
    List<Rendezvous> group = LocalRendezvous.group(worldSize, 30_000);
    ExecutorService pool = Executors.newFixedThreadPool(worldSize);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Rendezvous rendezvous : group) {
        futures.add(pool.submit(() -> body.run(rendezvous)));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        try {
          results.add(future.get(90, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          if (e.getCause() instanceof Error error) {
            throw error;
          }
          throw e;
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
