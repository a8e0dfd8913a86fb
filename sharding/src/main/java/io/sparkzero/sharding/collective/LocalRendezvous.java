package io.sparkzero.sharding.collective;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A rendezvous between threads of one JVM (tests, Spark {@code local[N]}-like tools). Make one
 * group with {@link #group}, hand {@code rendezvous.get(r)} to the thread of rank {@code r}; the
 * group serves any number of rounds.
 */
public final class LocalRendezvous implements Rendezvous {
  private final Exchange exchange;
  private final int rank;

  private LocalRendezvous(Exchange exchange, int rank) {
    this.exchange = exchange;
    this.rank = rank;
  }

  /** One rendezvous per rank, sharing an exchange; a round fails after {@code timeoutMs}. */
  public static List<Rendezvous> group(int worldSize, long timeoutMs) {
    if (worldSize < 1) {
      throw new IllegalArgumentException("world size " + worldSize + " must be at least 1");
    }
    Exchange exchange = new Exchange(worldSize, timeoutMs);
    List<Rendezvous> ranks = new ArrayList<>();
    for (int r = 0; r < worldSize; r++) {
      ranks.add(new LocalRendezvous(exchange, r));
    }
    return List.copyOf(ranks);
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return exchange.slots.length;
  }

  @Override
  public String[] allGather(String message) {
    return exchange.round(rank, message);
  }

  /**
   * The shared state of one group. The barrier's action publishes a copy of the slots before any
   * thread is released; a fast thread's next message cannot disturb it, since the next round's
   * action waits for every thread, including the ones still reading this round's copy.
   */
  private static final class Exchange {
    private final String[] slots;
    private final CyclicBarrier barrier;
    private final long timeoutMs;
    private volatile String[] published;

    Exchange(int worldSize, long timeoutMs) {
      this.slots = new String[worldSize];
      this.timeoutMs = timeoutMs;
      this.barrier = new CyclicBarrier(worldSize, () -> published = slots.clone());
    }

    String[] round(int rank, String message) {
      synchronized (slots) {
        slots[rank] = message;
      }
      try {
        barrier.await(timeoutMs, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | BrokenBarrierException e) {
        throw new IllegalStateException("local rendezvous: rank " + rank + " waited " + timeoutMs
            + " ms but not all " + slots.length + " ranks arrived (or one gave up)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("local rendezvous: rank " + rank + " was interrupted", e);
      }
      return published.clone();
    }
  }
}
