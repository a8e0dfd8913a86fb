package io.sparkzero.worker.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.collective.Collectives;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The agent's clocks: communication is hidden while the agent works and the training thread does
 * not wait for it, and not hidden while the training thread waits. The operations here wait on
 * latches instead of collectives, so what overlaps what is fixed by the test, not by the
 * scheduler; the bounds leave room for a loaded host's scheduling delays on both sides.
 */
class CommAgentTest {
  private static final long COMPUTE_MILLIS = 200;

  @Test
  void workDoneWhileTheTrainingThreadComputesIsHidden() throws Exception {
    try (CommAgent agent = new CommAgent(oneRank())) {
      long busy0 = agent.busyNanos();
      long waited0 = agent.waitedNanos();
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<Void> done = agent.submit("blocked", c -> {
        started.countDown();
        awaitQuietly(release);
      });
      assertThat(started.await(30, TimeUnit.SECONDS)).as("the agent ran the operation").isTrue();
      Thread.sleep(COMPUTE_MILLIS); // the training thread's compute, with the operation running
      release.countDown();
      agent.waitFor(done);

      long hidden = agent.hiddenSince(busy0, waited0);
      assertThat(hidden).as("the operation ran through %d ms of compute", COMPUTE_MILLIS)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(COMPUTE_MILLIS / 2));
      assertThat(hidden).as("never more than the agent's busy time")
          .isLessThanOrEqualTo(agent.busyNanos() - busy0);
    }
  }

  @Test
  void workTheTrainingThreadWaitsForIsNotHidden() {
    try (CommAgent agent = new CommAgent(oneRank())) {
      long busy0 = agent.busyNanos();
      long waited0 = agent.waitedNanos();
      CompletableFuture<Void> done = agent.submit("slow", c -> sleepQuietly(COMPUTE_MILLIS));
      agent.waitFor(done); // no compute between the submission and the wait

      assertThat(agent.busyNanos() - busy0).as("the agent's busy time")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(COMPUTE_MILLIS));
      assertThat(agent.waitedNanos() - waited0).as("the training thread's wait")
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(COMPUTE_MILLIS));
      assertThat(agent.hiddenSince(busy0, waited0)).as("hidden: at most the moment between the"
          + " submission and the wait").isLessThan(TimeUnit.MILLISECONDS.toNanos(COMPUTE_MILLIS / 2));
    }
  }

  @Test
  void drainCountsAsAWait() {
    try (CommAgent agent = new CommAgent(oneRank())) {
      agent.submit("slow", c -> sleepQuietly(COMPUTE_MILLIS));
      agent.drain();
      assertThat(agent.waitedNanos()).isGreaterThanOrEqualTo(
          TimeUnit.MILLISECONDS.toNanos(COMPUTE_MILLIS / 2));
    }
  }

  /** Rank 0 of 1; the operations in these tests never call it. */
  private static Collectives oneRank() {
    return (Collectives) Proxy.newProxyInstance(Collectives.class.getClassLoader(),
        new Class<?>[] {Collectives.class}, (proxy, method, args) -> switch (method.getName()) {
          case "rank" -> 0;
          case "worldSize" -> 1;
          case "toString" -> "one rank";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
