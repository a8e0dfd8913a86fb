package io.sparkzero.checkpoint;

/** One reusable read buffer, grown to the largest block read so far. Not thread-safe. */
final class Scratch {
  private byte[] bytes = new byte[0];

  byte[] bytes(int length) {
    if (bytes.length < length) {
      bytes = new byte[length];
    }
    return bytes;
  }
}
