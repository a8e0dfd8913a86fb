package io.sparkzero.bench.offload;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code O_DIRECT} positional I/O with each block cut into {@code slices} requests in flight at
 * once, one thread each: what the kernel's readahead does for buffered reads (several requests
 * queued), done without the page cache. A positional call on a shared {@link FileChannel} is
 * safe from several threads.
 */
final class ParallelBlockIo implements BlockIo {
  private final Path file;
  private final FileChannel channel;
  private final int blockBytes;
  private final int slices;
  private final ExecutorService pool;

  private ParallelBlockIo(Path file, FileChannel channel, int blockBytes, int slices) {
    this.file = file;
    this.channel = channel;
    this.blockBytes = blockBytes;
    this.slices = slices;
    this.pool = Executors.newFixedThreadPool(slices, r -> {
      Thread t = new Thread(r, "offload-io-bench-slice");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens {@code file} with {@code O_DIRECT}; {@code blockBytes / slices} must stay aligned. */
  static ParallelBlockIo open(Path file, int blockBytes, int slices) throws IOException {
    if (blockBytes % (slices * OffloadIoBenchmark.ALIGN_BYTES) != 0) {
      throw new IllegalArgumentException("block of " + blockBytes + " bytes does not cut into "
          + slices + " slices of whole " + OffloadIoBenchmark.ALIGN_BYTES + "-byte pages");
    }
    return new ParallelBlockIo(file, ChannelBlockIo.openChannel(file, true), blockBytes, slices);
  }

  @Override
  public void read(int block, ByteBuffer to) throws IOException {
    transfer(block, to, false);
  }

  @Override
  public void write(int block, ByteBuffer from) throws IOException {
    transfer(block, from, true);
  }

  private void transfer(int block, ByteBuffer buffer, boolean write) throws IOException {
    int sliceBytes = blockBytes / slices;
    List<Future<?>> pending = new ArrayList<>(slices);
    for (int i = 0; i < slices; i++) {
      ByteBuffer slice = buffer.slice(i * sliceBytes, sliceBytes);
      long position = (long) block * blockBytes + (long) i * sliceBytes;
      pending.add(pool.submit(() -> {
        try {
          while (slice.hasRemaining()) {
            int n = write ? channel.write(slice, position + slice.position())
                : channel.read(slice, position + slice.position());
            if (n < 0) {
              throw new EOFException("file ends before byte " + (position + slice.position()));
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));
    }
    for (Future<?> f : pending) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted during block " + block + " of " + file, e);
      } catch (ExecutionException e) {
        throw new IOException((write ? "writing" : "reading") + " block " + block + " of " + file
            + " failed: " + e.getCause().getMessage(), e.getCause());
      }
    }
  }

  @Override
  public void force() throws IOException {
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    pool.shutdownNow();
    channel.close();
  }
}
