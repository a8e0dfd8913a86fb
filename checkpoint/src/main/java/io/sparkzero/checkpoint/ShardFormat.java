package io.sparkzero.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Constants of the shard file format (see the package documentation for the layout), the CRC32C
 * helper and the trailer. Every number in a shard is little-endian.
 */
final class ShardFormat {
  private ShardFormat() {}

  /** First 8 bytes of every shard file. */
  static final byte[] HEADER_MAGIC = "SZCKSHRD".getBytes(StandardCharsets.US_ASCII);
  /** First 8 bytes of the trailer. */
  static final byte[] TRAILER_MAGIC = "SZCKTRLR".getBytes(StandardCharsets.US_ASCII);
  /** Shard format version written and read; shares its number with the manifest's. */
  static final int VERSION = Manifest.FORMAT_VERSION;
  /** Magic, version and header body length. */
  static final int PREFIX_BYTES = 8 + 4 + 4;
  static final int CRC_BYTES = 4;
  /** Magic, total file length, header CRC32C, trailer CRC32C. */
  static final int TRAILER_BYTES = 8 + 8 + 4 + CRC_BYTES;
  /** Largest header body a reader accepts: all names and meta at their limits fit. */
  static final int MAX_HEADER_BODY_BYTES = 4 * 8 + ShardHeader.META_MAX_BYTES
      + ShardHeader.ARRAYS_MAX * (4 + ShardHeader.NAME_MAX_BYTES);

  /** CRC32C of {@code length} bytes of {@code bytes} from {@code offset}, as an unsigned value. */
  static long crc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return crc.getValue();
  }

  static ByteBuffer littleEndian(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The trailer of a shard of {@code totalBytes} whose header has CRC {@code headerCrc32c}. */
  static byte[] trailer(long totalBytes, long headerCrc32c) {
    byte[] bytes = new byte[TRAILER_BYTES];
    ByteBuffer buf = littleEndian(bytes);
    buf.put(TRAILER_MAGIC).putLong(totalBytes).putInt((int) headerCrc32c);
    buf.putInt((int) crc32c(bytes, 0, TRAILER_BYTES - CRC_BYTES));
    return bytes;
  }

  /**
   * What is wrong with {@code bytes}, read at the end of a shard of {@code totalBytes} whose header
   * has CRC {@code headerCrc32c}, or null when it is the expected trailer.
   */
  static String trailerProblem(byte[] bytes, long totalBytes, long headerCrc32c) {
    ByteBuffer buf = littleEndian(bytes);
    byte[] magic = new byte[TRAILER_MAGIC.length];
    buf.get(magic);
    if (!java.util.Arrays.equals(magic, TRAILER_MAGIC)) {
      return "bad trailer magic (the file is truncated or was not written to the end)";
    }
    long storedTotal = buf.getLong();
    long storedHeaderCrc = Integer.toUnsignedLong(buf.getInt());
    long storedCrc = Integer.toUnsignedLong(buf.getInt());
    long computed = crc32c(bytes, 0, TRAILER_BYTES - CRC_BYTES);
    if (storedCrc != computed) {
      return "trailer CRC32C mismatch (stored " + hex(storedCrc) + ", computed " + hex(computed)
          + ")";
    }
    if (storedTotal != totalBytes || storedHeaderCrc != headerCrc32c) {
      return "trailer says " + storedTotal + " bytes and header CRC32C " + hex(storedHeaderCrc)
          + ", the header implies " + totalBytes + " bytes and has CRC32C " + hex(headerCrc32c);
    }
    return null;
  }

  static String hex(long crc) {
    return String.format("0x%08x", crc);
  }
}
