package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aeron.ExclusivePublication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Foreign messages, silent peers and peers that never connect. */
class CollectiveFaultsTest {
  private static final long TOKEN = 0x5EED_0002L;
  private static Path dir;
  private static AeronRuntime runtime;

  @BeforeAll
  static void startDriver() {
    dir = TestAeron.freshDir();
    runtime = TestAeron.startRuntime(dir);
  }

  @AfterAll
  static void stopDriver() throws Exception {
    runtime.close();
    Files.deleteIfExists(EmbeddedDriver.lockFile(dir));
  }

  /**
   * An extra publication, from this host, puts a message that looks like the next chunk and even
   * carries the job's tag on rank 1's port and stream. Its session is not the one rank 0
   * announced at the rendezvous, so rank 1 never reads it: the stream is refused and counted, and
   * the all-reduces stay exact.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IPC", "UDP"})
  void aStreamOtherThanTheAnnouncedOneIsRefusedCountedAndHarmless(Transport transport)
      throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, transport).build();
    int length = 1001;
    List<long[]> counts = RankThreads.run(2, rendezvous -> {
      try (AeronCollectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        ExclusivePublication intruder = null;
        if (c.rank() == 1) {
          intruder = runtime.aeron().addExclusivePublication(
              c.inboundChannel(), c.inboundStreamId());
          inject(intruder, length, options.wireTag());
        }
        boolean seen = false;
        for (int round = 0; round < 200 && !seen; round++) {
          float[] data = CollectivesParityTest.integers(c.rank(), length, round);
          c.allReduceSum(data, 0, length);
          float[] expected = CollectivesParityTest.integers(0, length, round);
          float[] other = CollectivesParityTest.integers(1, length, round);
          for (int i = 0; i < length; i++) {
            expected[i] += other[i];
          }
          FloatArrays.assertEqual(data, expected, "round " + round + " on rank " + c.rank());
          byte[] mine = {(byte) (c.stats().streamsRefused() > 0 ? 1 : 0)};
          seen = c.allGatherBytes(mine)[1][0] == 1;
          if (!seen) {
            Thread.sleep(5);
          }
        }
        if (intruder != null) {
          intruder.close();
        }
        return new long[] {c.stats().streamsRefused(), c.stats().messagesDroppedBadToken()};
      }
    });
    assertThat(counts.get(0)).containsExactly(0L, 0L);
    assertThat(counts.get(1)).as("rank 1: streams refused, messages dropped").containsExactly(1L, 0L);
  }

  /**
   * A root that only sends can finish its broadcast and close before its left neighbour (which only
   * receives) has seen their link connect: that neighbour must still get the data, and not wait
   * for a subscription that is already gone.
   */
  @ParameterizedTest
  @EnumSource(value = Transport.class, names = {"IPC", "UDP"})
  void rankWithNothingToReceiveMayCloseRightAfterItsOperation(Transport transport)
      throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, transport)
        .timeoutMs(5_000).build();
    for (int round = 0; round < 20; round++) {
      List<float[]> results = RankThreads.run(2, rendezvous -> {
        try (AeronCollectives c = AeronCollectives.create(rendezvous, options, runtime)) {
          float[] data = {c.rank() == 0 ? 42f : 0f};
          c.broadcast(data, 0, 1, 0);
          return data;
        }
      });
      assertThat(results.get(1)[0]).as("round %d", round).isEqualTo(42f);
    }
  }

  /**
   * Ranks that disagree on a length fail at once, not after the timeout: the message that does not
   * fit is an error of the operation, although Aeron's poll catches what a handler throws. Rank 0
   * reads rank 1's first chunk, of a 450-float segment where it expects 500; rank 1, which finds
   * rank 0's chunk to be of a later offset and waits for the one it expects, is cancelled.
   */
  @Test
  void ranksThatDisagreeOnALengthFailAtOnceNamingIt() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(60_000).build();
    CountDownLatch failed = new CountDownLatch(1);
    List<Throwable> failures = RankThreads.run(2, rendezvous -> {
      try (AeronCollectives c = AeronCollectives.create(rendezvous, options, runtime)) {
        Thread canceller = new Thread(() -> {
          try {
            failed.await();
            c.cancel("rank 0 failed");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        canceller.start();
        int length = c.rank() == 0 ? 1000 : 900;
        long startNs = System.nanoTime();
        try {
          c.allReduceSum(new float[length], 0, length);
          return null;
        } catch (RuntimeException e) {
          assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(30));
          return e;
        } finally {
          failed.countDown();
          canceller.join();
        }
      }
    });
    assertThat(failures.get(0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rank 1 sent 64 floats (operation 2, step 0, offset 0, total length"
            + " 450) while this rank expected operation 2, step 0, offset 0 of segment [0, 500)")
        .hasMessageContaining("every rank must call the same collectives");
    assertThat(failures.get(1)).isInstanceOf(CollectiveCancelledException.class);
  }

  /** Offers one message that looks like the first all-reduce's first chunk, with {@code tag}. */
  private static void inject(ExclusivePublication intruder, int length, long tag)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!intruder.isConnected()) {
      assertThat(System.nanoTime()).as("intruder connects").isLessThan(deadline);
      Thread.sleep(1);
    }
    UnsafeBuffer message = new UnsafeBuffer(new byte[MessageHeader.LENGTH + 64 * Float.BYTES]);
    MessageHeader.write(message, 0, tag, 2, 0, 0, length / 2, Wire.FP32.headerCode());
    for (int i = 0; i < 64; i++) {
      message.putFloat(MessageHeader.LENGTH + i * Float.BYTES, 1e9f);
    }
    while (intruder.offer(message) < 0) {
      assertThat(System.nanoTime()).as("intruder offers").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  /**
   * The 300 ms timeout also bounds {@code create}'s connect step, which on a loaded machine can take
   * longer than that: each rank's clock runs 200 times slow until rank 0 starts the operation under
   * test (a minute of real time to connect), then rank 0's runs at real speed, so the all-reduce
   * times out after 300 real milliseconds.
   */
  @Test
  void silentPeerFailsTheCollectiveNamingItsRankWithinTheTimeout() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(300).build();
    SlowUntilArmedClock[] clocks = {new SlowUntilArmedClock(), new SlowUntilArmedClock()};
    Throwable failure = withSilentPeer(options, clocks, c -> {
      clocks[0].arm();
      long startNs = System.nanoTime();
      try {
        c.allReduceSum(new float[100_000], 0, 100_000);
        return null;
      } catch (CollectiveTimeoutException e) {
        assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThatThrownBy(c::barrier).hasMessageContaining("close this instance");
        return e;
      }
    });
    assertThat(failure).isInstanceOf(CollectiveTimeoutException.class)
        .hasMessageContaining("allReduceSum: rank 1 did not answer within 300 ms")
        .hasMessageContaining("collective.timeout-ms");
    assertThat(((CollectiveTimeoutException) failure).peerRank()).isEqualTo(1);
  }

  /** A cancelled rank stops waiting for a silent peer at once, not after its 60 s timeout. */
  @Test
  void cancelFromAnotherThreadEndsTheWaitNow() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(60_000).build();
    Throwable failure = withSilentPeer(options, c -> {
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        c.cancel("the stage failed on another executor");
      });
      long startNs = System.nanoTime();
      canceller.start();
      try {
        c.allReduceSum(new float[100_000], 0, 100_000);
        return null;
      } catch (CollectiveCancelledException e) {
        assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(5));
        return e;
      } finally {
        canceller.join();
      }
    });
    assertThat(failure).isInstanceOf(CollectiveCancelledException.class)
        .hasMessageContaining("allReduceSum: cancelled (the stage failed on another executor)");
  }

  /** What rank 0 does while rank 1 stays connected but silent. */
  private interface Rank0 {
    Throwable run(AeronCollectives collectives) throws Exception;
  }

  /** Runs {@code rank0} on rank 0 of two; rank 1 says nothing until rank 0 is done. */
  private Throwable withSilentPeer(CollectiveOptions options, Rank0 rank0) throws Exception {
    LongSupplier[] clocks = {System::nanoTime, System::nanoTime};
    return withSilentPeer(options, clocks, rank0);
  }

  /**
   * As {@link #withSilentPeer(CollectiveOptions, Rank0)}, rank {@code r} timing out on {@code
   * clocks[r]}.
   */
  private Throwable withSilentPeer(CollectiveOptions options, LongSupplier[] clocks, Rank0 rank0)
      throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    List<Throwable> failures = RankThreads.run(2, rendezvous -> {
      try (AeronCollectives c = AeronCollectives.create(
          rendezvous, options, runtime, clocks[rendezvous.rank()])) {
        if (c.rank() == 1) {
          done.await(30, TimeUnit.SECONDS);
          return null;
        }
        try {
          return rank0.run(c);
        } finally {
          done.countDown();
        }
      }
    });
    return failures.get(0);
  }

  /**
   * A nanosecond clock that runs {@link #SLOWDOWN} times slower than {@link System#nanoTime} until
   * {@link #arm()}, then at real speed from the value it had reached (so it never jumps or runs
   * backwards): a timeout measured on it before arming lasts {@code SLOWDOWN} times longer in real
   * time, one started after arming lasts what it says.
   */
  private static final class SlowUntilArmedClock implements LongSupplier {
    private static final long SLOWDOWN = 200;
    private static final long UNARMED = Long.MIN_VALUE;
    private final long originNs = System.nanoTime();
    private volatile long armedAtNs = UNARMED;

    void arm() {
      armedAtNs = System.nanoTime();
    }

    @Override
    public long getAsLong() {
      long nowNs = System.nanoTime();
      long armedAt = armedAtNs;
      return armedAt == UNARMED
          ? originNs + (nowNs - originNs) / SLOWDOWN
          : originNs + (armedAt - originNs) / SLOWDOWN + (nowNs - armedAt);
    }
  }

  /** A 60 s timeout on a clock that leaps a second per reading once armed: fails in real milliseconds. */
  @Test
  void timeoutsRunOnTheInjectedClock() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(60_000).build();
    AtomicBoolean armed = new AtomicBoolean();
    AtomicLong leaps = new AtomicLong();
    LongSupplier clock = () -> System.nanoTime()
        + (armed.get() ? leaps.incrementAndGet() * 1_000_000_000L : 0);
    AtomicLong elapsedMs = new AtomicLong();
    withSilentPeer(options, new LongSupplier[] {clock, clock}, c -> {
      armed.set(true);
      long startNs = System.nanoTime();
      assertThatThrownBy(c::barrier).isInstanceOf(CollectiveTimeoutException.class)
          .hasMessageContaining("rank 1 did not answer within 60000 ms");
      elapsedMs.set(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
      return null;
    });
    assertThat(elapsedMs.get()).isLessThan(5_000);
  }

  @Test
  void peerThatNeverSubscribesFailsCreationNamingIt() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC)
        .timeoutMs(300).build();
    List<Throwable> failures = RankThreads.run(2, rendezvous -> {
      if (rendezvous.rank() == 1) {
        // Takes part in the rendezvous, then never opens its stream.
        rendezvous.allGather(new PeerInfo(options.wireTag(), options.chunkBytes(), false,
            runtime.nextStreamId(), 1, "",
            runtime.locality()).encode());
        return null;
      }
      try (AeronCollectives ignored = AeronCollectives.create(rendezvous, options, runtime)) {
        return null;
      } catch (CollectiveTimeoutException e) {
        return e;
      }
    });
    assertThat(failures.get(0)).isInstanceOf(CollectiveTimeoutException.class)
        .hasMessageContaining("connect: rank 1 did not answer within 300 ms")
        .hasMessageContaining("never appeared");
  }

  @Test
  void closedInstanceRefusesCalls() throws Exception {
    CollectiveOptions options = TestAeron.smallStreams(TOKEN, dir, Transport.IPC).build();
    List<Throwable> failures = RankThreads.run(1, rendezvous -> {
      AeronCollectives c = AeronCollectives.create(rendezvous, options, runtime);
      c.close();
      c.close();
      try {
        c.barrier();
        return null;
      } catch (IllegalStateException e) {
        return e;
      }
    });
    assertThat(failures.get(0)).hasMessageContaining("closed");
  }
}
