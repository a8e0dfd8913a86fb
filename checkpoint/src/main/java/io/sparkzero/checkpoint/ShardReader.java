package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.CheckpointCorruptException.WHOLE_FILE;

import java.io.Closeable;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One shard file open for reading. Opening checks everything that can be checked without reading
 * the data: the file exists, its length is the manifest's, the header (magic, version, CRC32C)
 * agrees with the manifest's record, and the trailer is in place. Each block read is checked
 * against its CRC32C before any of it is used.
 */
final class ShardReader implements Closeable {
  private final String file;
  private final FSDataInputStream in;
  private final HeaderCodec.Decoded decoded;
  private final ShardLayout layout;

  private ShardReader(String file, FSDataInputStream in, HeaderCodec.Decoded decoded) {
    this.file = file;
    this.in = in;
    this.decoded = decoded;
    this.layout = decoded.layout();
  }

  /** Opens the shard that {@code manifest} lists as {@code record}, checking it as above. */
  static ShardReader open(FileSystem fs, Path stepDir, Manifest manifest, ShardRecord record) {
    Path path = new Path(stepDir, record.file());
    String file = path.toString();
    FSDataInputStream in = null;
    try {
      long length = lengthOf(fs, path, record);
      in = fs.open(path);
      byte[] prefix = readAt(in, file, 0, ShardFormat.PREFIX_BYTES);
      byte[] headerBytes = readAt(in, file, 0, HeaderCodec.headerBytes(prefix, file));
      HeaderCodec.Decoded decoded = HeaderCodec.decode(headerBytes, file);
      ShardChecks.headerMatches(decoded, manifest, record, file);
      ShardChecks.lengthMatches(decoded.layout(), length, file);
      long trailerAt = decoded.layout().trailerOffset();
      String problem = ShardFormat.trailerProblem(
          readAt(in, file, trailerAt, ShardFormat.TRAILER_BYTES), length, decoded.crc32c());
      if (problem != null) {
        throw new CheckpointCorruptException(file, trailerAt, problem);
      }
      return new ShardReader(file, in, decoded);
    } catch (IOException | RuntimeException e) {
      closeQuietly(in, e);
      throw e instanceof IOException io ? unreadable(file, io) : (RuntimeException) e;
    }
  }

  private static long lengthOf(FileSystem fs, Path path, ShardRecord record) throws IOException {
    try {
      long length = fs.getFileStatus(path).getLen();
      ShardChecks.lengthRecorded(length, record, path.toString());
      return length;
    } catch (FileNotFoundException e) {
      throw new CheckpointCorruptException(path.toString(), WHOLE_FILE, "missing shard file of"
          + " rank " + record.rank() + " listed in the manifest", e);
    }
  }

  /** The header as read and checked. */
  ShardHeader header() {
    return decoded.header();
  }

  /**
   * Copies {@code count} elements of array {@code array} from the shard-local element {@code from}
   * into {@code dst}, checking every block it touches. {@code scratch} holds one block.
   */
  void read(int array, long from, float[] dst, int dstOffset, int count, Scratch scratch) {
    long block = from / layout.blockFloats();
    while (count > 0) {
      FloatBuffer floats = readBlock(array, block, scratch);
      int skip = (int) (from - block * layout.blockFloats());
      int n = Math.min(count, floats.remaining() - skip);
      floats.position(skip).get(dst, dstOffset, n);
      from += n;
      dstOffset += n;
      count -= n;
      block++;
    }
  }

  /** Reads every block of every array, checking each CRC32C. */
  void verifyAll(Scratch scratch) {
    for (int array = 0; array < layout.arrayCount(); array++) {
      for (long block = 0; block < layout.blocksPerArray(); block++) {
        readBlock(array, block, scratch);
      }
    }
  }

  private FloatBuffer readBlock(int array, long block, Scratch scratch) {
    long offset = layout.blockOffset(array, block);
    int floats = layout.blockLength(block);
    int dataBytes = floats * Float.BYTES;
    byte[] bytes = scratch.bytes(dataBytes + ShardFormat.CRC_BYTES);
    try {
      in.seek(offset);
      in.readFully(bytes, 0, dataBytes + ShardFormat.CRC_BYTES);
    } catch (EOFException e) {
      throw new CheckpointCorruptException(file, offset, "truncated inside " + where(array, block),
          e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
    long stored = Integer.toUnsignedLong(ShardFormat.littleEndian(bytes).getInt(dataBytes));
    long computed = ShardFormat.crc32c(bytes, 0, dataBytes);
    if (stored != computed) {
      throw new CheckpointCorruptException(file, offset, where(array, block)
          + ": CRC32C mismatch (stored " + ShardFormat.hex(stored) + ", computed "
          + ShardFormat.hex(computed) + ")");
    }
    return ShardFormat.littleEndian(bytes).asFloatBuffer().limit(floats);
  }

  private String where(int array, long block) {
    long first = decoded.header().from() + block * layout.blockFloats();
    return "block " + block + " of array '" + decoded.header().arrays().get(array)
        + "' (elements [" + first + ", " + (first + layout.blockLength(block)) + "))";
  }

  private static byte[] readAt(FSDataInputStream in, String file, long offset, int length)
      throws IOException {
    byte[] bytes = new byte[length];
    try {
      in.seek(offset);
      in.readFully(bytes);
    } catch (EOFException e) {
      throw new CheckpointCorruptException(file, offset, "truncated: fewer than " + length
          + " bytes from here", e);
    }
    return bytes;
  }

  private static RuntimeException unreadable(String file, IOException e) {
    if (e instanceof ChecksumException c) {
      return new CheckpointCorruptException(file, c.getPos(),
          "the FileSystem's own checksum failed (" + c.getMessage() + ")", e);
    }
    return new UncheckedIOException("reading the shard file " + file + ": " + e.getMessage()
        + " (check that the FileSystem is reachable and the file readable)", e);
  }

  private static void closeQuietly(Closeable c, Exception failure) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
