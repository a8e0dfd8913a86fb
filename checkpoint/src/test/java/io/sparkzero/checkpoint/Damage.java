package io.sparkzero.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Test fixture: damages files through the FileSystem API, so the same damage works on {@code
 * file://} (where the local FileSystem's own .crc side files are rewritten with it) and on HDFS.
 */
final class Damage {
  private final FileSystem fs;

  Damage(FileSystem fs) {
    this.fs = fs;
  }

  byte[] bytes(Path path) throws IOException {
    try (InputStream in = fs.open(path)) {
      return in.readAllBytes();
    }
  }

  void replace(Path path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(path, true)) {
      out.write(bytes);
    }
  }

  void flipBit(Path path, long offset, int bit) throws IOException {
    byte[] bytes = bytes(path);
    bytes[(int) offset] ^= (byte) (1 << bit);
    replace(path, bytes);
  }

  void truncate(Path path, long length) throws IOException {
    replace(path, Arrays.copyOf(bytes(path), (int) length));
  }

  long length(Path path) throws IOException {
    return fs.getFileStatus(path).getLen();
  }

  /** Where things are in the shard at {@code path}, from its own header. */
  ShardLayout layout(Path path) throws IOException {
    return HeaderCodec.decode(header(path), path.toString()).layout();
  }

  private byte[] header(Path path) throws IOException {
    byte[] bytes = bytes(path);
    int length = HeaderCodec.headerBytes(Arrays.copyOf(bytes, ShardFormat.PREFIX_BYTES), "");
    return Arrays.copyOf(bytes, length);
  }
}
