package io.sparkzero.bench.checkpoint;

import static io.sparkzero.bench.BenchJson.format;
import static io.sparkzero.bench.BenchJson.median;
import static io.sparkzero.bench.BenchJson.quote;

import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchJson;
import io.sparkzero.bench.PageCache;
import io.sparkzero.checkpoint.Checkpoint;
import io.sparkzero.checkpoint.CheckpointStore;
import io.sparkzero.checkpoint.Manifest;
import io.sparkzero.checkpoint.ShardRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;

/**
 * Checkpoint write and read bandwidth on a local disk, through a {@code file://} {@link
 * CheckpointStore}: each run, RANKS threads write one shard each of the same step at once, fsync
 * them, rank 0 commits; then, after the page cache is dropped, each thread reads its own shard
 * back, and one thread verifies the whole step after another drop. The package documentation says
 * what each time covers.
 *
 * <p>Usage: {@code CheckpointIoBenchmark DIR [SHARD_BYTES] [RANKS] [RUNS]}; {@code
 * deploy/bench/checkpoint-io.sh} runs it next to raw {@code dd} on the same disk. Prints progress
 * on stderr, one JSON line per run on stdout, then a summary line whose rates are {@code [median,
 * [every run]]} in GB/s (1e9 payload bytes per second).
 */
public final class CheckpointIoBenchmark {
  private static final String STORE_DIR = "spark-zero-checkpoint-io";
  /** Names of the rates, in output order. */
  private static final List<String> RATES =
      List.of("write_gb_per_s", "write_durable_gb_per_s", "read_gb_per_s", "verify_gb_per_s");

  /** Seconds each phase of one run took, and whether every page-cache drop in it succeeded. */
  private record RunTimes(double writeS, double fsyncS, double commitS, double readS,
      double verifyS, boolean cacheDropped) {
    double[] gbPerS(long bytes) {
      return Stream.of(writeS, writeS + fsyncS, readS, verifyS)
          .mapToDouble(s -> bytes / s / 1e9).toArray();
    }
  }

  private CheckpointIoBenchmark() {}

  /** Runs the benchmark with the command line the class comment describes. */
  public static void main(String[] args) throws IOException {
    CheckpointIoArgs bench = BenchArgs.orExit(() -> CheckpointIoArgs.parse(args));
    Path root = prepare(bench);
    String fileSystem = Files.getFileStore(bench.dir()).type();
    double[][] gbPerS = new double[bench.runs()][];
    boolean cacheDropped = true;
    ExecutorService ranks = Executors.newFixedThreadPool(bench.ranks());
    try {
      for (int run = 0; run < bench.runs(); run++) {
        RunTimes times;
        try {
          times = runOnce(bench, root, run + 1, ranks);
        } finally {
          deleteTree(root);
        }
        gbPerS[run] = times.gbPerS(bench.payloadBytes());
        cacheDropped &= times.cacheDropped();
        System.out.println("{\"method\": \"checkpoint\", \"run\": " + (run + 1)
            + ", \"dir\": " + quote(root.toString()) + ", \"file_system\": " + quote(fileSystem)
            + ", \"ranks\": " + bench.ranks() + ", \"payload_bytes\": " + bench.payloadBytes()
            + ", \"write_s\": " + format(times.writeS()) + ", \"fsync_s\": "
            + format(times.fsyncS()) + ", \"commit_s\": " + format(times.commitS())
            + ", \"read_s\": " + format(times.readS()) + ", \"verify_s\": "
            + format(times.verifyS()) + ratesJson(gbPerS[run]) + ", \"cache_dropped\": "
            + times.cacheDropped() + "}");
      }
    } finally {
      ranks.shutdownNow();
    }
    System.out.println(summaryJson(bench, gbPerS, cacheDropped));
  }

  /** Writes, fsyncs, commits, reads and verifies step {@code step} in a fresh store. */
  private static RunTimes runOnce(CheckpointIoArgs bench, Path root, long step,
      ExecutorService pool) {
    CheckpointStore store = CheckpointStore.open(root.toUri().toString(), new Configuration());
    List<RankIo> ranks = new ArrayList<>();
    for (int rank = 0; rank < bench.ranks(); rank++) {
      ranks.add(new RankIo(store, step, rank, bench.floatsPerArray()));
    }
    PageCache cache = new PageCache();
    boolean dropped = cache.drop(); // the previous run's deletions and any other dirty pages
    long startNs = System.nanoTime();
    List<ShardRecord> shards = RankIo.onRanks(pool, bench.ranks(), r -> ranks.get(r).write());
    long writtenNs = System.nanoTime();
    RankIo.onRanks(pool, bench.ranks(), r -> {
      ranks.get(r).fsync(shards.get(r));
      return null;
    });
    long durableNs = System.nanoTime();
    store.commit(Manifest.of(step, bench.floatsPerArray() * bench.ranks(), RankIo.ARRAYS, shards,
        Map.of("bench", "checkpoint-io")));
    long committedNs = System.nanoTime();
    dropped &= cache.drop();
    long readStartNs = System.nanoTime();
    RankIo.onRanks(pool, bench.ranks(), r -> {
      ranks.get(r).read();
      return null;
    });
    long readNs = System.nanoTime() - readStartNs;
    dropped &= cache.drop();
    long verifyStartNs = System.nanoTime();
    try (Checkpoint checkpoint = store.open(step)) {
      checkpoint.verify();
    }
    long verifyNs = System.nanoTime() - verifyStartNs;
    RunTimes times = new RunTimes((writtenNs - startNs) / 1e9, (durableNs - writtenNs) / 1e9,
        (committedNs - durableNs) / 1e9, readNs / 1e9, verifyNs / 1e9, dropped);
    System.err.printf(Locale.ROOT, "run %d: write %.2f s + fsync %.2f s, commit %.3f s, read %.2f"
        + " s, verify %.2f s%n", step, times.writeS(), times.fsyncS(), times.commitS(),
        times.readS(), times.verifyS());
    return times;
  }

  /** The store's directory under DIR, checked to be absent and to fit on the disk. */
  private static Path prepare(CheckpointIoArgs bench) throws IOException {
    Path root = bench.dir().toAbsolutePath().resolve(STORE_DIR);
    if (Files.exists(root)) {
      throw new IOException(root + " exists (left by an interrupted run?): delete it");
    }
    Files.createDirectories(bench.dir());
    long usableBytes = Files.getFileStore(bench.dir()).getUsableSpace();
    if (usableBytes < bench.payloadBytes() * 103 / 100) { // the blocks' CRCs and .crc side files
      throw new IOException(bench.dir() + " needs about " + bench.payloadBytes() + " bytes but"
          + " its disk has " + usableBytes + " free: choose a smaller SHARD_BYTES or another DIR");
    }
    return root;
  }

  private static String summaryJson(CheckpointIoArgs bench, double[][] gbPerS,
      boolean cacheDropped) {
    StringBuilder summary = new StringBuilder("{\"summary\": \"checkpoint\", \"runs\": ")
        .append(bench.runs()).append(", \"ranks\": ").append(bench.ranks())
        .append(", \"payload_bytes\": ").append(bench.payloadBytes());
    for (int r = 0; r < RATES.size(); r++) {
      int rate = r;
      double[] runs = Arrays.stream(gbPerS).mapToDouble(g -> g[rate]).toArray();
      summary.append(", \"").append(RATES.get(r)).append("\": [").append(format(median(runs)))
          .append(", [").append(Arrays.stream(runs).mapToObj(BenchJson::format)
              .collect(Collectors.joining(", "))).append("]]");
    }
    return summary.append(", \"cache_dropped\": ").append(cacheDropped).append('}').toString();
  }

  private static String ratesJson(double[] gbPerS) {
    StringBuilder json = new StringBuilder();
    for (int r = 0; r < RATES.size(); r++) {
      json.append(", \"").append(RATES.get(r)).append("\": ").append(format(gbPerS[r]));
    }
    return json.toString();
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
