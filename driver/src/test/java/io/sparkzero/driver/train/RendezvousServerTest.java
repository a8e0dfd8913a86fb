package io.sparkzero.driver.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The driver's rendezvous over real loopback sockets: every rank gets every rank's message in rank
 * order, gathering after gathering; a rank without the job's key is refused; ranks that never come
 * are named when the others time out; a killed task stops waiting.
 */
class RendezvousServerTest {
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  private final ExecutorService ranks = Executors.newCachedThreadPool();
  private RendezvousServer server;

  @AfterEach
  void stop() {
    ranks.shutdownNow();
    if (server != null) {
      server.close();
    }
  }

  private DriverRendezvous rank(int rank, int worldSize, byte[] key, Runnable cancelled) {
    return new DriverRendezvous(server.address(), key, "job/stage 3.0", rank, worldSize, 5_000,
        cancelled);
  }

  @Test
  void everyRankGetsEveryMessageInRankOrderAndGatheringsFollowEachOther() throws Exception {
    server = RendezvousServer.start("127.0.0.1", "127.0.0.1", KEY, 10_000);
    int world = 4;
    List<Future<List<String[]>>> results = new ArrayList<>();
    for (int r = world - 1; r >= 0; r--) { // arriving in reverse order
      int rank = r;
      results.add(ranks.submit(() -> {
        DriverRendezvous me = rank(rank, world, KEY, () -> { });
        return List.of(me.allGather("first from " + rank), me.allGather("second from " + rank));
      }));
    }
    for (Future<List<String[]>> result : results) {
      List<String[]> got = result.get(30, TimeUnit.SECONDS);
      assertThat(got.get(0)).containsExactly("first from 0", "first from 1", "first from 2",
          "first from 3");
      assertThat(got.get(1)).containsExactly("second from 0", "second from 1", "second from 2",
          "second from 3");
    }
  }

  @Test
  void aRankWithoutTheJobsKeyIsRefused() {
    server = RendezvousServer.start("127.0.0.1", "127.0.0.1", KEY, 10_000);
    byte[] other = "another job's key, 32 bytes long".getBytes();
    assertThatThrownBy(() -> rank(0, 1, other, () -> { }).allGather("hello"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rank 0")
        .hasMessageContaining("carries a wrong tag: it is not from this job");
  }

  @Test
  void ranksThatNeverComeAreNamedWhenTheOthersTimeOut() {
    server = RendezvousServer.start("127.0.0.1", "127.0.0.1", KEY, 300);
    assertThatThrownBy(() -> rank(1, 3, KEY, () -> { }).allGather("alone"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ranks [0, 2] of 3 never reached the rendezvous (job/stage 3.0#0)"
            + " within 300 ms");
  }

  @Test
  void aKilledTaskStopsWaiting() throws Exception {
    server = RendezvousServer.start("127.0.0.1", "127.0.0.1", KEY, 60_000);
    AtomicBoolean killed = new AtomicBoolean();
    Future<?> waiting = ranks.submit(() -> rank(0, 2, KEY, () -> {
      if (killed.get()) {
        throw new IllegalStateException("task killed");
      }
    }).allGather("waiting for rank 1"));
    Thread.sleep(300);
    assertThat(waiting).isNotDone();
    killed.set(true);
    assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS))
        .hasRootCauseMessage("task killed");
  }

  @Test
  void anUnreachableDriverIsNamedWithTheWayOut() {
    server = RendezvousServer.start("127.0.0.1", "127.0.0.1", KEY, 1_000);
    RendezvousServer.Address gone = server.address();
    server.close();
    assertThatThrownBy(() -> new DriverRendezvous(gone, KEY, "job/stage 1.0", 0, 2, 1_000,
        () -> { }).allGather("hello"))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("rank 0 cannot meet its peers at the driver's rendezvous " + gone)
        .hasMessageContaining("set train.rendezvous=spark");
  }
}
