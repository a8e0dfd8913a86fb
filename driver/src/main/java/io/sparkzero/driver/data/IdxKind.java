package io.sparkzero.driver.data;

import java.util.Locale;

/** The two IDX files of a data set, told apart by their magic number. */
enum IdxKind {
  /** {@code [n, rows, cols]} unsigned bytes. */
  IMAGES(0x00000803, 3),
  /** {@code [n]} unsigned bytes. */
  LABELS(0x00000801, 1);

  /** IDX element type code of unsigned bytes, the third byte of the magic. */
  static final int UNSIGNED_BYTE_TYPE = 0x08;

  private final int magic;
  private final int dimensions;

  IdxKind(int magic, int dimensions) {
    this.magic = magic;
    this.dimensions = dimensions;
  }

  int magic() {
    return magic;
  }

  int dimensions() {
    return dimensions;
  }

  /** Magic plus one big-endian int per dimension. */
  int headerBytes() {
    return 4 + 4 * dimensions;
  }

  /** {@code "images"} or {@code "labels"}. */
  String noun() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code "image"} or {@code "label"}. */
  String singular() {
    String noun = noun();
    return noun.substring(0, noun.length() - 1);
  }
}
