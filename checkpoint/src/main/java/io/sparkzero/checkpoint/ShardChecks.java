package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.CheckpointCorruptException.WHOLE_FILE;

/** Checks of a shard file against the manifest that lists it. */
final class ShardChecks {
  private ShardChecks() {}

  /** The file's length is the manifest's; else it is empty, truncated or too long. */
  static void lengthRecorded(long length, ShardRecord record, String file) {
    if (length == 0) {
      throw new CheckpointCorruptException(file, 0, "zero length; the manifest records "
          + record.bytes() + " bytes");
    }
    if (length != record.bytes()) {
      throw new CheckpointCorruptException(file, Math.min(length, record.bytes()),
          (length < record.bytes() ? "truncated: " : "too long: ") + length
              + " bytes, the manifest records " + record.bytes());
    }
  }

  /** The header says what the manifest's record and array list say. */
  static void headerMatches(HeaderCodec.Decoded decoded, Manifest manifest, ShardRecord record,
      String file) {
    ShardHeader h = decoded.header();
    if (h.rank() != record.rank() || h.from() != record.from() || h.to() != record.to()
        || !h.arrays().equals(manifest.arrays()) || decoded.crc32c() != record.headerCrc32c()) {
      throw new CheckpointCorruptException(file, 0, "the manifest lists a shard whose header"
          + " disagrees: manifest says rank " + record.rank() + " [" + record.from() + ", "
          + record.to() + ") arrays " + manifest.arrays() + " header CRC32C "
          + ShardFormat.hex(record.headerCrc32c()) + "; the file's header says rank " + h.rank()
          + " [" + h.from() + ", " + h.to() + ") arrays " + h.arrays() + " header CRC32C "
          + ShardFormat.hex(decoded.crc32c()) + " (a shard of another attempt or step?)");
    }
  }

  /** The header's layout accounts for every byte of the file. */
  static void lengthMatches(ShardLayout layout, long length, String file) {
    if (layout.totalBytes() != length) {
      throw new CheckpointCorruptException(file, WHOLE_FILE, "the header implies "
          + layout.totalBytes() + " bytes, the file has " + length);
    }
  }
}
