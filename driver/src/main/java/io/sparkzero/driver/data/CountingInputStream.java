package io.sparkzero.driver.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes read through it, so that an error deep in a gzip stream can still say how far
 * into the compressed file it happened.
 */
final class CountingInputStream extends FilterInputStream {

  private long countBytes;

  CountingInputStream(InputStream in) {
    super(in);
  }

  /** Bytes read so far. */
  long countBytes() {
    return countBytes;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      countBytes++;
    }
    return b;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    int n = super.read(buf, off, len);
    if (n > 0) {
      countBytes += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    countBytes += skipped;
    return skipped;
  }

  @Override
  public boolean markSupported() {
    // A reset would make the count lie.
    return false;
  }
}
