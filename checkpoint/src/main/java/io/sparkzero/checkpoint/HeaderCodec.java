package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.ShardFormat.CRC_BYTES;
import static io.sparkzero.checkpoint.ShardFormat.PREFIX_BYTES;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes and decodes a shard's header: magic, version, body length, then the body (rank, from,
 * to, block size in floats, array names, meta) and the CRC32C of everything before it. Pure: the
 * caller does the I/O, so a damaged header is reported with the file it came from.
 */
final class HeaderCodec {
  private HeaderCodec() {}

  /** A header as read back, with what the reader needs to find the blocks. */
  record Decoded(ShardHeader header, int blockFloats, long crc32c, ShardLayout layout) {}

  private static final int FIXED_BODY_BYTES = 4 + 8 + 8 + 4 + 4 + 4;

  /** The header bytes for {@code header} with blocks of {@code blockFloats}, CRC included. */
  static byte[] encode(ShardHeader header, int blockFloats) {
    List<byte[]> names = header.arrays().stream()
        .map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
    byte[] meta = header.meta();
    int body = FIXED_BODY_BYTES + meta.length
        + names.stream().mapToInt(n -> Integer.BYTES + n.length).sum();
    byte[] bytes = new byte[PREFIX_BYTES + body + CRC_BYTES];
    ByteBuffer buf = ShardFormat.littleEndian(bytes);
    buf.put(ShardFormat.HEADER_MAGIC).putInt(ShardFormat.VERSION).putInt(body);
    buf.putInt(header.rank()).putLong(header.from()).putLong(header.to()).putInt(blockFloats);
    buf.putInt(names.size());
    names.forEach(n -> buf.putInt(n.length).put(n));
    buf.putInt(meta.length).put(meta);
    buf.putInt((int) ShardFormat.crc32c(bytes, 0, buf.position()));
    return bytes;
  }

  /**
   * Checks the first {@link ShardFormat#PREFIX_BYTES} bytes of {@code file} (magic, version, body
   * length) and returns the whole header's length, CRC included.
   */
  static int headerBytes(byte[] prefix, String file) {
    ByteBuffer buf = ShardFormat.littleEndian(prefix);
    byte[] magic = new byte[ShardFormat.HEADER_MAGIC.length];
    buf.get(magic);
    if (!Arrays.equals(magic, ShardFormat.HEADER_MAGIC)) {
      throw new CheckpointCorruptException(file, 0, "bad magic: not a spark-zero shard file");
    }
    int version = buf.getInt();
    if (version != ShardFormat.VERSION) {
      throw new CheckpointCorruptException(file, 8, "unsupported shard format version " + version
          + ": this build reads version " + ShardFormat.VERSION + " (or the header is damaged)");
    }
    int body = buf.getInt();
    if (body < FIXED_BODY_BYTES || body > ShardFormat.MAX_HEADER_BODY_BYTES) {
      throw new CheckpointCorruptException(file, 12, "header length " + body
          + " is out of range " + FIXED_BODY_BYTES + ".." + ShardFormat.MAX_HEADER_BODY_BYTES);
    }
    return PREFIX_BYTES + body + CRC_BYTES;
  }

  /** Decodes a whole header (prefix, body, CRC) read from the start of {@code file}. */
  static Decoded decode(byte[] bytes, String file) {
    int crcOffset = headerBytes(bytes, file) - CRC_BYTES;
    ByteBuffer buf = ShardFormat.littleEndian(bytes);
    long stored = Integer.toUnsignedLong(buf.getInt(crcOffset));
    long computed = ShardFormat.crc32c(bytes, 0, crcOffset);
    if (stored != computed) {
      throw new CheckpointCorruptException(file, crcOffset, "header CRC32C mismatch (stored "
          + ShardFormat.hex(stored) + ", computed " + ShardFormat.hex(computed) + ")");
    }
    try {
      buf.position(PREFIX_BYTES).limit(crcOffset);
      int rank = buf.getInt();
      long from = buf.getLong();
      long to = buf.getLong();
      int blockFloats = buf.getInt();
      List<String> arrays = new ArrayList<>();
      for (int i = buf.getInt(); i > 0; i--) {
        arrays.add(StandardCharsets.UTF_8.decode(slice(buf, buf.getInt())).toString());
      }
      byte[] meta = new byte[buf.getInt()];
      buf.get(meta);
      if (buf.hasRemaining() || blockFloats < CheckpointOptions.BLOCK_FLOATS_MIN
          || blockFloats > CheckpointOptions.BLOCK_FLOATS_MAX) {
        throw new IllegalArgumentException("block size " + blockFloats + " floats, "
            + buf.remaining() + " bytes left over");
      }
      ShardHeader header = new ShardHeader(rank, from, to, arrays, meta);
      ShardLayout layout = new ShardLayout(bytes.length, arrays.size(), to - from, blockFloats);
      return new Decoded(header, blockFloats, stored, layout);
    } catch (IllegalArgumentException | BufferUnderflowException | IndexOutOfBoundsException
        | NegativeArraySizeException e) {
      throw new CheckpointCorruptException(file, PREFIX_BYTES,
          "header fields are inconsistent although its CRC32C matches (" + e + ")", e);
    }
  }

  private static ByteBuffer slice(ByteBuffer buf, int length) {
    ByteBuffer slice = buf.slice(buf.position(), length);
    buf.position(buf.position() + length);
    return slice;
  }
}
