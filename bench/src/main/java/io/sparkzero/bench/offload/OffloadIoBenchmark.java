package io.sparkzero.bench.offload;

import static io.sparkzero.bench.BenchJson.format;
import static io.sparkzero.bench.BenchJson.median;
import static io.sparkzero.bench.BenchJson.quote;

import io.sparkzero.bench.BenchArgs;
import io.sparkzero.bench.BenchJson;
import io.sparkzero.bench.PageCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Measures the nvme offload tier's access pattern done three ways ({@link IoMethod}: buffered
 * {@code FileChannel}, {@code O_DIRECT} {@code FileChannel}, {@code mmap}) on one file of a local
 * disk, so the tier can keep the fastest. Three timed passes over the file per method and run,
 * every block in order: write, read, and read-then-write-back (one optimizer step over the state).
 *
 * <p>Usage: {@code OffloadIoBenchmark DIR [FILE_BYTES] [BLOCK_BYTES] [RUNS]}; {@code
 * deploy/bench/offload-io.sh} runs it next to raw {@code dd} figures. Prints progress on stderr and
 * one JSON line per method on stdout, each rate as {@code [median, [every run]]} in GB/s (1e9 bytes
 * per second). The package documentation says what keeps the page cache out of the numbers.
 */
public final class OffloadIoBenchmark {
  /** Alignment of direct I/O buffers, offsets and sizes, as {@code FileTier.DIRECT_ALIGN_BYTES}. */
  static final int ALIGN_BYTES = 4096;

  private static final String FILE_NAME = "spark-zero-offload-io.bin";

  /** What a timed pass does to every block, in order. */
  private enum Pass {
    WRITE, READ, READ_WRITE_BACK;

    String key() {
      return name().toLowerCase(Locale.ROOT) + "_gb_per_s";
    }
  }

  private OffloadIoBenchmark() {}

  /** Runs the benchmark with the command line the class comment describes. */
  public static void main(String[] args) throws IOException {
    OffloadIoArgs bench = BenchArgs.orExit(() -> OffloadIoArgs.parse(args));
    Files.createDirectories(bench.dir());
    Path file = bench.dir().resolve(FILE_NAME);
    ByteBuffer buffer = ByteBuffer.allocateDirect(bench.blockBytes() + ALIGN_BYTES)
        .alignedSlice(ALIGN_BYTES);
    // Not zeros: a virtual disk may store zero blocks cheaply, and the tier's state is not zero.
    byte[] pattern = new byte[bench.blockBytes()];
    new SplittableRandom(1).nextBytes(pattern);
    buffer.put(0, pattern);
    createFile(file, bench, buffer);
    try {
      measure(bench, file, buffer);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Creates and fills the file, untimed, so the timed passes overwrite allocated blocks as the
   * tier does after filling its file with zeros.
   */
  private static void createFile(Path file, OffloadIoArgs bench, ByteBuffer buffer)
      throws IOException {
    try {
      Files.createFile(file);
    } catch (FileAlreadyExistsException e) {
      throw new IOException(file + " exists (left by an interrupted run?): delete it", e);
    }
    long usableBytes = Files.getFileStore(file).getUsableSpace();
    if (usableBytes < bench.fileBytes()) {
      Files.delete(file);
      throw new IOException(file + " needs " + bench.fileBytes() + " bytes but its disk has "
          + usableBytes + " free: choose a smaller FILE_BYTES or another DIR");
    }
    try {
      passSeconds(IoMethod.BUFFERED, Pass.WRITE, file, bench, buffer);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  private static void measure(OffloadIoArgs bench, Path file, ByteBuffer buffer)
      throws IOException {
    Map<IoMethod, String> skipped = new EnumMap<>(IoMethod.class);
    for (IoMethod method : IoMethod.values()) {
      try (BlockIo io = method.open(file, bench.blockBytes())) {
        io.read(0, buffer); // only checks that the file system accepts the method
      } catch (IOException | UnsupportedOperationException e) {
        skipped.put(method, e.toString());
        System.err.println("WARNING: skipping " + method.key() + ": " + e);
      }
    }
    IoMethod[] methods = Arrays.stream(IoMethod.values()).filter(m -> !skipped.containsKey(m))
        .toArray(IoMethod[]::new);
    double[][][] gbPerS = new double[IoMethod.values().length][Pass.values().length][bench.runs()];
    PageCache cache = new PageCache();
    for (int run = 0; run < bench.runs(); run++) {
      for (int i = 0; i < methods.length; i++) {
        IoMethod method = methods[(run + i) % methods.length]; // no method always goes first
        for (Pass pass : Pass.values()) {
          cache.drop(); // before writes too: mmap faults pages in before overwriting them
          double seconds = passSeconds(method, pass, file, bench, buffer);
          double rate = bench.fileBytes() / seconds / 1e9;
          gbPerS[method.ordinal()][pass.ordinal()][run] = rate;
          System.err.printf(Locale.ROOT, "run %d %-8s %-15s %7.3f GB/s (%.2f s)%n",
              run, method.key(), pass.name().toLowerCase(Locale.ROOT), rate, seconds);
        }
      }
    }
    String common = ", \"dir\": " + quote(bench.dir().toAbsolutePath().toString())
        + ", \"file_system\": " + quote(Files.getFileStore(file).type())
        + ", \"file_bytes\": " + bench.fileBytes() + ", \"block_bytes\": " + bench.blockBytes();
    for (IoMethod method : IoMethod.values()) {
      String result = skipped.containsKey(method)
          ? ", \"skipped\": " + quote(skipped.get(method))
          : ratesJson(gbPerS[method.ordinal()], cache.alwaysDropped());
      System.out.println("{\"method\": " + quote(method.key()) + common + result + "}");
    }
  }

  private static String ratesJson(double[][] gbPerSByPass, boolean cacheDropped) {
    StringBuilder json = new StringBuilder(", \"runs\": ").append(gbPerSByPass[0].length)
        .append(", \"cache_dropped\": ").append(cacheDropped);
    for (Pass pass : Pass.values()) {
      double[] rates = gbPerSByPass[pass.ordinal()];
      json.append(", \"").append(pass.key()).append("\": [").append(format(median(rates)))
          .append(", [").append(Arrays.stream(rates).mapToObj(BenchJson::format)
              .collect(Collectors.joining(", "))).append("]]");
    }
    return json.toString();
  }

  /**
   * Times one pass of {@code method} over every block in order. Opening and closing (mapping and
   * unmapping) stay outside the time; making writes durable is inside it.
   */
  private static double passSeconds(IoMethod method, Pass pass, Path file, OffloadIoArgs bench,
      ByteBuffer buffer) throws IOException {
    try (BlockIo io = method.open(file, bench.blockBytes())) {
      long startNs = System.nanoTime();
      for (int block = 0; block < bench.blocks(); block++) {
        if (pass != Pass.WRITE) {
          io.read(block, buffer);
        }
        if (pass != Pass.READ) {
          io.write(block, buffer);
        }
      }
      if (pass != Pass.READ) {
        io.force();
      }
      return (System.nanoTime() - startNs) / 1e9;
    }
  }
}
