package io.sparkzero.checkpoint;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one rank's shard to a temporary file, then {@link #finish()} renames it to its final
 * name. Arrays are written in the header's order, each with exactly {@code to - from} elements in
 * total, in calls of any size: the writer cuts the checksummed blocks itself and holds at most one
 * block in memory, so shards of any size stream through. {@link #close()} without {@code finish()}
 * aborts: the temporary file is deleted. Not thread-safe.
 */
public final class ShardWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShardWriter.class);

  private final FileSystem fs;
  private final Path temp;
  private final Path target;
  private final String what;
  private final ShardHeader header;
  private final long headerCrc32c;
  private final ShardLayout layout;
  private final BlockSink blocks;
  private OutputStream out;
  private int arrayIndex;
  private long writtenInArray;
  private boolean done;

  ShardWriter(
      FileSystem fs, Path target, long step, ShardHeader header, CheckpointOptions options) {
    this.fs = fs;
    this.target = target;
    this.temp = StepPaths.temp(target);
    this.what = "the shard of rank " + header.rank() + " of step " + step;
    this.header = header;
    byte[] headerBytes = HeaderCodec.encode(header, options.blockFloats());
    this.headerCrc32c =
        ShardFormat.crc32c(headerBytes, 0, headerBytes.length - ShardFormat.CRC_BYTES);
    this.layout = new ShardLayout(headerBytes.length, header.arrays().size(), header.length(),
        options.blockFloats());
    try {
      out = new BufferedOutputStream(HadoopFiles.create(fs, temp, false, options.filePermission()),
          options.writeBufferBytes());
      out.write(headerBytes);
    } catch (IOException e) {
      throw failed("creating", e);
    }
    this.blocks = new BlockSink(out, (int) Math.min(options.blockFloats(), header.length()));
  }

  /**
   * Appends {@code count} elements of {@code array} from {@code src[offset..]}.
   *
   * @throws IllegalArgumentException when {@code array} is not the one that comes next, or when
   *     it would get more than {@code to - from} elements; nothing is written then
   */
  public void write(String array, float[] src, int offset, int count) {
    Objects.checkFromIndexSize(offset, count, src.length);
    checkOpen();
    if (count == 0 && header.arrays().contains(array)) {
      return;
    }
    String expected = arrayIndex < header.arrays().size() ? header.arrays().get(arrayIndex) : null;
    if (!array.equals(expected) || count > header.length() - writtenInArray) {
      throw new IllegalArgumentException(what + ": cannot write " + count + " elements of '"
          + array + "'; " + (expected == null ? "every array is complete"
              : "'" + expected + "' comes next with " + writtenInArray + " of " + header.length()
                  + " elements written") + " (arrays are written in the order " + header.arrays()
          + ", each with exactly to - from = " + header.length() + " elements)");
    }
    try {
      blocks.put(src, offset, count);
      writtenInArray += count;
      if (writtenInArray == header.length()) {
        blocks.flush();
        arrayIndex++;
        writtenInArray = 0;
      }
    } catch (IOException e) {
      throw failed("writing", e);
    }
  }

  /**
   * Writes the trailer, closes the file and renames it to its final name.
   *
   * @return the record to list in the step's manifest
   * @throws IllegalStateException when an array is incomplete
   * @throws UncheckedIOException when writing or the rename fails, e.g. when the final name already
   *     exists; the temporary file is deleted then
   */
  public ShardRecord finish() {
    checkOpen();
    if (arrayIndex < header.arrays().size() && header.length() > 0) {
      throw new IllegalStateException(what + ": array '" + header.arrays().get(arrayIndex)
          + "' has " + writtenInArray + " of " + header.length() + " elements; write every array"
          + " of " + header.arrays() + " in full before finish()");
    }
    try {
      out.write(ShardFormat.trailer(layout.totalBytes(), headerCrc32c));
      out.close();
      out = null;
      long written = fs.getFileStatus(temp).getLen();
      if (written != layout.totalBytes()) {
        throw new IOException("wrote " + written + " bytes, the layout says "
            + layout.totalBytes());
      }
    } catch (IOException e) {
      throw failed("finishing", e);
    }
    try {
      HadoopFiles.renameNoReplace(fs, temp, target, what, "another attempt wrote this rank's shard"
          + " of this uncommitted step: run CheckpointStore.cleanUncommitted() before writing it"
          + " again (committed steps are never rewritten)");
    } catch (UncheckedIOException e) {
      close();
      throw e;
    }
    done = true;
    return new ShardRecord(header.rank(), target.getName(), header.from(), header.to(),
        layout.totalBytes(), headerCrc32c);
  }

  /** Aborts unless {@link #finish()} succeeded: closes and deletes the temporary file. */
  @Override
  public void close() {
    if (done) {
      return;
    }
    done = true;
    try {
      if (out != null) {
        out.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the aborted {} at {}: {}", what, temp, e.toString());
    }
    try {
      HadoopFiles.delete(fs, temp, false);
    } catch (UncheckedIOException e) {
      LOG.warn("the aborted {} stays at {} until CheckpointStore.cleanUncommitted(): {}", what,
          temp, e.getMessage());
    }
  }

  private void checkOpen() {
    if (done) {
      throw new IllegalStateException(what + " is already finished or aborted");
    }
  }

  private UncheckedIOException failed(String operation, IOException e) {
    close();
    return new UncheckedIOException(operation + " " + what + " at " + temp + ": " + e.getMessage()
        + " (the partial file is deleted; check the FileSystem's space and permissions)", e);
  }
}
