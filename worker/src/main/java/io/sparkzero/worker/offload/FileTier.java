package io.sparkzero.worker.offload;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Offloaded blocks in one file on a local disk ({@code offload.*: nvme}): block b at byte {@code
 * b * blockBytes}, each read and written whole with one positional call, through direct I/O
 * ({@code O_DIRECT}, bypassing the page cache, so the disk's bandwidth is what is measured and the
 * host's memory is not silently used as a cache) where the file system allows it, buffered
 * otherwise. The file is created readable and writable by its owner only, filled with zeros when
 * created (which also claims its space up front: a disk too small fails here, not mid-run), and
 * deleted on {@link #close}, with the rank's directory once it is empty.
 */
final class FileTier implements BlockTier {
  /** Alignment of direct I/O buffers, offsets and sizes (block sizes are multiples of it). */
  static final int DIRECT_ALIGN_BYTES = 4096;

  private final Path file;
  private final FileChannel channel;
  private final boolean direct;
  private final int slots;
  private final int blockFloats;
  private final int blockBytes;
  private final int blockCount;

  private FileTier(Path file, FileChannel channel, boolean direct, int slots, int blockFloats,
      int blockCount) {
    this.file = file;
    this.channel = channel;
    this.direct = direct;
    this.slots = slots;
    this.blockFloats = blockFloats;
    this.blockBytes = slots * blockFloats * Float.BYTES;
    this.blockCount = blockCount;
  }

  /**
   * Creates {@code file} (which must not exist) for {@code blockCount} blocks and fills it with
   * zeros. On failure nothing is left behind: neither the file nor, once empty, its directory.
   *
   * @throws OffloadException naming the file when it cannot be created, is too large for the
   *     disk's free space (with the bytes needed and free), or cannot be written
   */
  static FileTier create(Path file, int slots, int blockFloats, int blockCount) {
    long blockBytes = (long) slots * blockFloats * Float.BYTES;
    long bytes = blockBytes * blockCount;
    FileChannel channel = null;
    boolean created = false;
    boolean direct = false;
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
      created = true;
      long usable = Files.getFileStore(file).getUsableSpace();
      if (usable < bytes) {
        throw new OffloadException("offload file " + file + " needs " + bytes + " bytes but its"
            + " disk has " + usable + " bytes free: point offload.nvme.path at a larger disk or"
            + " use more ranks");
      }
      try {
        channel = open(file, true);
        direct = true;
      } catch (IOException | UnsupportedOperationException e) {
        channel = open(file, false); // the file system refuses O_DIRECT (tmpfs, some overlays)
      }
      FileTier tier = new FileTier(file, channel, direct, slots, blockFloats, blockCount);
      tier.fillZeros();
      return tier;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (created) { // not a file that was there before: it may belong to someone else
        deleteWithEmptyDirectory(file);
      } else {
        deleteEmptyDirectory(file.getParent());
      }
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new OffloadException("cannot create offload file " + file + ": " + e, e);
    }
  }

  private static FileChannel open(Path file, boolean direct) throws IOException {
    List<OpenOption> options = new ArrayList<>(
        List.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
    if (direct) {
      options.add(ExtendedOpenOption.DIRECT);
    }
    return FileChannel.open(file, options.toArray(OpenOption[]::new));
  }

  private void fillZeros() throws IOException {
    ByteBuffer zeros = ByteBuffer.allocateDirect(blockBytes + DIRECT_ALIGN_BYTES)
        .alignedSlice(DIRECT_ALIGN_BYTES);
    for (int b = 0; b < blockCount; b++) {
      zeros.clear().limit(blockBytes);
      writeFully(zeros, b, "zero-filling");
    }
  }

  /** Whether the file is read and written with direct I/O. */
  boolean direct() {
    return direct;
  }

  Path file() {
    return file;
  }

  @Override
  public void load(int block, Staging to, int floats) throws IOException {
    ByteBuffer buffer = to.io;
    buffer.clear().limit(blockBytes);
    long position = (long) block * blockBytes;
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new OffloadException("offload file " + file + " ends before block " + block
            + " (byte " + (position + buffer.position()) + "): was it truncated?");
      }
    }
    FloatBuffer floatsView = buffer.flip().asFloatBuffer();
    for (int k = 0; k < slots; k++) {
      floatsView.position(k * blockFloats);
      floatsView.get(to.arrays[k], 0, floats);
    }
  }

  @Override
  public void store(int block, Staging from, int floats) throws IOException {
    ByteBuffer buffer = from.io;
    buffer.clear().limit(blockBytes);
    FloatBuffer floatsView = buffer.asFloatBuffer();
    for (int k = 0; k < slots; k++) {
      floatsView.position(k * blockFloats);
      floatsView.put(from.arrays[k], 0, floats);
    }
    writeFully(buffer, block, "writing");
  }

  private void writeFully(ByteBuffer buffer, int block, String operation) throws IOException {
    long position = (long) block * blockBytes;
    try {
      while (buffer.hasRemaining()) {
        channel.write(buffer, position + buffer.position());
      }
    } catch (IOException e) {
      throw new OffloadException(operation + " block " + block + " of offload file " + file
          + " at byte " + (position + buffer.position()) + " failed: " + e.getMessage()
          + (String.valueOf(e.getMessage()).contains("space")
              ? " (the disk under offload.nvme.path is full)" : ""), e);
    }
  }

  @Override
  public long memoryBytes() {
    return 0;
  }

  @Override
  public long diskBytes() {
    return (long) blockBytes * blockCount;
  }

  @Override
  public int ioAlignBytes() {
    return DIRECT_ALIGN_BYTES;
  }

  @Override
  public void close() {
    closeQuietly(channel);
    deleteWithEmptyDirectory(file);
  }

  /** Deletes {@code file}, then the rank's directory holding it once nothing else is in it. */
  private static void deleteWithEmptyDirectory(Path file) {
    deleteQuietly(file);
    deleteEmptyDirectory(file.getParent());
  }

  private static void deleteEmptyDirectory(Path dir) {
    try {
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // not empty (another store of the rank) or already gone: its last store removes it
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing after a failure: the original error is what the user needs
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // best effort: the rank's directory is removed at the end of the job as well
    }
  }
}
