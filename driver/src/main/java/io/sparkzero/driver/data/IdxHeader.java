package io.sparkzero.driver.data;

import java.nio.ByteBuffer;

/**
 * The header of an IDX file: how many items follow and how many bytes each has. A labels file is
 * read as items of {@code 1 x 1} byte, so both files go through the same record loop.
 *
 * @param kind images or labels
 * @param count items the file promises
 * @param rows image rows (1 for labels)
 * @param cols image columns (1 for labels)
 */
record IdxHeader(IdxKind kind, int count, int rows, int cols) {

  /** Guards the record buffer against a garbage header: 16 Mi pixels per image is plenty. */
  static final int MAX_ITEM_BYTES = 1 << 24;

  private static final int MAGIC_BYTES = 4;

  /** Bytes per item: the pixels of one image, or 1 for a label. */
  int itemBytes() {
    return rows * cols;
  }

  /** Uncompressed length of a complete file: header plus items. */
  long expectedLengthBytes() {
    return kind.headerBytes() + (long) count * itemBytes();
  }

  /**
   * Reads and checks the header at the start of {@code in}. A bad header is fatal under every
   * {@link BadRecordPolicy}: nothing after it can be trusted.
   *
   * @throws DataFormatException naming the file, the offset and what was expected
   */
  static IdxHeader read(IdxInput in, IdxKind kind) {
    // The magic is checked before the rest is read, so a swapped (shorter) labels file is
    // reported as swapped rather than as a truncated images header.
    checkMagic(in, kind);
    byte[] dims = new byte[kind.headerBytes() - MAGIC_BYTES];
    int got = in.readFully(dims);
    if (got < dims.length) {
      throw headerCutShort(in, kind, MAGIC_BYTES + got);
    }
    ByteBuffer header = ByteBuffer.wrap(dims); // big-endian, as IDX is
    int count = header.getInt();
    int rows = kind == IdxKind.IMAGES ? header.getInt() : 1;
    int cols = kind == IdxKind.IMAGES ? header.getInt() : 1;
    if (count < 0) {
      throw new DataFormatException(in.file(), "byte offset 4",
          "the header gives a negative item count (" + count + "); the file is damaged");
    }
    if (rows < 1 || cols < 1 || (long) rows * cols > MAX_ITEM_BYTES) {
      throw new DataFormatException(in.file(), "byte offset 8",
          "the header gives images of " + rows + " x " + cols + " pixels; expected each side >= 1"
              + " and at most " + MAX_ITEM_BYTES + " pixels per image; the file is damaged");
    }
    return new IdxHeader(kind, count, rows, cols);
  }

  private static void checkMagic(IdxInput in, IdxKind kind) {
    byte[] magicBytes = new byte[MAGIC_BYTES];
    int got = in.readFully(magicBytes);
    if (got < MAGIC_BYTES) {
      throw headerCutShort(in, kind, got);
    }
    int magic = ByteBuffer.wrap(magicBytes).getInt();
    if (magic != kind.magic()) {
      throw new DataFormatException(in.file(), "byte offset 0",
          String.format("expected the IDX %s magic 0x%08x (unsigned bytes, %d dimension%s) but"
                  + " found 0x%08x%s", kind.noun(), kind.magic(), kind.dimensions(),
              kind.dimensions() == 1 ? "" : "s", magic, magicHint(magic, kind)));
    }
  }

  private static DataFormatException headerCutShort(IdxInput in, IdxKind kind, int gotBytes) {
    return new DataFormatException(in.file(), "byte offset " + gotBytes,
        "the file ends inside its " + kind.headerBytes() + "-byte IDX " + kind.noun() + " header"
            + in.endOfDataNote() + "; the file is truncated or not an IDX file");
  }

  private static String magicHint(int magic, IdxKind expected) {
    for (IdxKind other : IdxKind.values()) {
      if (other != expected && magic == other.magic()) {
        return ", which is an IDX " + other.noun() + " file: the images and labels files look"
            + " swapped";
      }
    }
    if ((magic >>> 16) != 0) {
      return "; an IDX file starts with two zero bytes, so this is not an IDX file";
    }
    if (((magic >>> 8) & 0xff) != IdxKind.UNSIGNED_BYTE_TYPE) {
      return String.format("; element type 0x%02x is not supported, only unsigned bytes (0x08)",
          (magic >>> 8) & 0xff);
    }
    return "; the number of dimensions (last byte) is wrong for an IDX " + expected.noun()
        + " file";
  }
}
