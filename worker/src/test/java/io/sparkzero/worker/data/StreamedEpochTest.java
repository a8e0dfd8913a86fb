package io.sparkzero.worker.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The rank's stream over in-memory chunks (the real chunk readers, Parquet and IDX, are tested
 * in the driver): the dealing of chunks to ranks, the windowed order, resume, wrap-around,
 * pruning, failures and the read-ahead bound.
 */
class StreamedEpochTest {
  private static final int FEATURES = 3;
  private static final int CLASSES = 5;

  /** Ids {@code [from, from + n)}; features encode the id, so a batch names its examples. */
  private record Range(long from, int n, AtomicLong reads) implements ExampleChunk {
    Range(long from, int n) {
      this(from, n, new AtomicLong());
    }

    @Override
    public long count() {
      return n;
    }

    @Override
    public String location() {
      return "ids " + from + "-" + (from + n - 1);
    }

    @Override
    public long read(Consumer<LabeledExample> sink) {
      for (long id = from; id < from + n; id++) {
        reads.incrementAndGet();
        sink.accept(new LabeledExample(id, (int) (id % CLASSES), new float[] {id, -id, 1}));
      }
      return 0;
    }
  }

  private static List<ExampleChunk> chunks(int count, int size) {
    List<ExampleChunk> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chunks.add(new Range((long) i * size, size));
    }
    return chunks;
  }

  private static StreamPlan plan(List<ExampleChunk> chunks, int window, long readAheadBytes) {
    return new StreamPlan(chunks, window, readAheadBytes, FEATURES, CLASSES);
  }

  /** The ids of every position of the epoch, step by step, as the training thread reads them. */
  private static long[] ids(StreamPlan plan, int epoch, int rank, int world, int steps, int batch,
      int firstStep, KeptIds kept) {
    List<Long> ids = new ArrayList<>();
    try (StreamedEpoch epochData = StreamedEpoch.open(plan, 42, epoch, rank, world, steps, batch,
        firstStep, kept)) {
      for (int step = firstStep; step < steps; step++) {
        LocalDataset.Batch b = epochData.batch(BatchMaker.CLASSIFY, step, 0, batch);
        float[] x = b.features().data().asFloat();
        for (int i = 0; i < batch; i++) {
          assertEquals(-x[i * FEATURES], x[i * FEATURES + 1], 0.0); // a whole example, not a mix
          ids.add((long) x[i * FEATURES]);
        }
        epochData.trained(step);
      }
    }
    return ids.stream().mapToLong(Long::longValue).toArray();
  }

  @Test
  void everyChunkIsDealtToExactlyOneRankAndSharesDifferByAtMostOneChunk() {
    StreamPlan plan = plan(chunks(37, 10), 16, 0);
    int world = 4;
    Set<ExampleChunk> dealt = new HashSet<>();
    long least = Long.MAX_VALUE;
    long most = 0;
    for (int rank = 0; rank < world; rank++) {
      List<ExampleChunk> share = plan.share(7, 3, rank, world);
      long n = share.stream().mapToLong(ExampleChunk::count).sum();
      least = Math.min(least, n);
      most = Math.max(most, n);
      for (ExampleChunk c : share) {
        assertTrue(dealt.add(c), c.location() + " dealt twice");
      }
    }
    assertEquals(37, dealt.size());
    assertTrue(most - least <= 10, "shares " + least + ".." + most);
    assertEquals(plan.share(7, 3, 1, world), plan.share(7, 3, 1, world), "a function of the seed");
  }

  @Test
  void examplesMoveBetweenRanksFromEpochToEpoch() {
    StreamPlan plan = plan(chunks(40, 10), 16, 0);
    Map<ExampleChunk, Integer> first = new HashMap<>();
    for (int rank = 0; rank < 2; rank++) {
      for (ExampleChunk c : plan.share(7, 0, rank, 2)) {
        first.put(c, rank);
      }
    }
    int moved = 0;
    for (int rank = 0; rank < 2; rank++) {
      for (ExampleChunk c : plan.share(7, 1, rank, 2)) {
        moved += first.get(c) == rank ? 0 : 1;
      }
    }
    assertTrue(moved >= 10 && moved <= 30, moved + " of 40 chunks changed rank");
  }

  @Test
  void anEpochReadsItsShareOnceInBlocksShuffledWithinTheWindow() {
    StreamPlan plan = plan(chunks(12, 25), 40, 1 << 20);
    int world = 2;
    int batch = 10;
    int steps = 300 / (world * batch); // 15 steps of 10: every rank reads 150 of its ~150
    Set<Long> seen = new HashSet<>();
    for (int rank = 0; rank < world; rank++) {
      long[] ids = ids(plan, 0, rank, world, steps, batch, 0, null);
      assertEquals((long) steps * batch, ids.length);
      List<Long> streamOrder = new ArrayList<>();
      for (ExampleChunk c : plan.share(42, 0, rank, world)) {
        c.read(e -> streamOrder.add(e.id()));
      }
      for (int block = 0; block * 40 < ids.length; block++) {
        int from = block * 40;
        int to = Math.min(ids.length, from + 40);
        Set<Long> trained = new HashSet<>();
        for (int i = from; i < to; i++) {
          trained.add(ids[i]);
        }
        assertEquals(new HashSet<>(streamOrder.subList(from, to)), trained,
            "block " + block + " holds the window's examples");
      }
      assertNotEquals(streamOrder.subList(0, 40), LongStream.of(ids).limit(40).boxed().toList(),
          "a block is shuffled");
      for (long id : ids) {
        assertTrue(seen.add(id), "id " + id + " trained twice in one epoch");
      }
    }
    assertArrayEquals(ids(plan, 0, 1, world, steps, batch, 0, null),
        ids(plan, 0, 1, world, steps, batch, 0, null), "the same order every run");
    assertNotEquals(LongStream.of(ids(plan, 0, 1, world, steps, batch, 0, null)).boxed().toList(),
        LongStream.of(ids(plan, 1, 1, world, steps, batch, 0, null)).boxed().toList(),
        "another order next epoch");
  }

  @Test
  void aResumedEpochTrainsTheSameExamplesFromItsFirstStep() {
    StreamPlan plan = plan(chunks(10, 33), 50, 0);
    long[] whole = ids(plan, 2, 0, 2, 16, 10, 0, null);
    long[] resumed = ids(plan, 2, 0, 2, 16, 10, 7, null);
    assertArrayEquals(java.util.Arrays.copyOfRange(whole, 70, 160), resumed);
  }

  @Test
  void aShareSmallerThanTheEpochWrapsAroundAsAHeldPartitionDoes() {
    StreamPlan plan = plan(chunks(2, 15), 8, 0); // one chunk of 15 per rank
    long[] ids = ids(plan, 0, 0, 2, 4, 10, 0, null); // 40 positions
    Set<Long> distinct = new HashSet<>();
    for (long id : ids) {
      distinct.add(id);
    }
    assertEquals(40, ids.length);
    assertEquals(15, distinct.size());
  }

  @Test
  void aStepStraddlingTwoBlocksGetsItsExamplesFromBoth() {
    StreamPlan plan = plan(chunks(4, 30), 7, 0); // blocks of 7, batches of 10
    long[] ids = ids(plan, 0, 0, 1, 12, 10, 0, null);
    assertEquals(120, new HashSet<>(LongStream.of(ids).boxed().toList()).size());
  }

  @Test
  void pruningKeepsOnlyTheKeptIds() {
    StreamPlan plan = plan(chunks(8, 20), 16, 0);
    KeptIds kept = KeptIds.of(LongStream.range(0, 160).filter(id -> id % 3 == 0).toArray());
    for (long id : ids(plan, 0, 1, 2, 5, 5, 0, kept)) {
      assertEquals(0, id % 3, "id " + id + " was pruned away");
    }
  }

  @Test
  void aRankWithNothingToTrainOnSaysWhy() {
    StreamPlan plan = plan(chunks(2, 10), 4, 0);
    KeptIds kept = KeptIds.of(LongStream.range(0, 20).filter(id -> plan.share(42, 0, 1, 2)
        .get(0).location().equals("ids 0-9") ? id >= 10 : id < 10).toArray());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ids(plan, 0, 1, 2, 2, 4, 0, kept));
    assertTrue(e.getMessage().contains("rank 1 epoch 1: none of this rank's 1 chunk(s)"),
        e.getMessage());
  }

  @Test
  void theReadersFailureIsThrownOnTheTrainingThreadAsIs() {
    RuntimeException bad = new IllegalArgumentException("file x, byte 12: label 9 is outside");
    ExampleChunk failing = new ExampleChunk() {
      @Override
      public long count() {
        return 10;
      }

      @Override
      public String location() {
        return "x";
      }

      @Override
      public long read(Consumer<LabeledExample> sink) {
        throw bad;
      }
    };
    StreamPlan plan = plan(List.of(failing), 4, 0);
    try (StreamedEpoch epoch = StreamedEpoch.open(plan, 1, 0, 0, 1, 2, 4, 0, null)) {
      assertSame(bad, assertThrows(IllegalArgumentException.class,
          () -> epoch.batch(BatchMaker.CLASSIFY, 0, 0, 4)));
    }
  }

  @Test
  void theReaderStaysWithinItsReadAheadUntilTheTrainingThreadTakesMore() throws Exception {
    List<ExampleChunk> chunks = chunks(100, 10);
    int window = 20;
    StreamPlan plan = plan(chunks, window, 2 * 20 * (FEATURES * 4 + 12)); // 2 blocks ahead
    assertEquals(2, plan.blocksAhead());
    try (StreamedEpoch epoch = StreamedEpoch.open(plan, 1, 0, 0, 1, 100, 10, 0, null)) {
      epoch.batch(BatchMaker.CLASSIFY, 0, 0, 10);
      Thread.sleep(500);
      long read = chunks.stream().mapToLong(c -> ((Range) c).reads().get()).sum();
      // the block in use, two in the queue, one being filled (up to a chunk past it)
      assertTrue(read <= 4 * window + 10, read + " examples read while 10 were used");
      assertTrue(read >= 3 * window, "the reader reads ahead: " + read);
      assertEquals(0, epoch.stats().skippedRecords());
    }
  }
}
