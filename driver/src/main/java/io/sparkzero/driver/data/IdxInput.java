package io.sparkzero.driver.data;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * One IDX file opened through the Hadoop {@code FileSystem} API, gunzipped when its first bytes
 * are the gzip magic (the name is not trusted), with the uncompressed byte offset tracked so that
 * every error can say where it happened.
 */
final class IdxInput implements Closeable {

  private static final int FILE_BUFFER_BYTES = 1 << 16;
  /** Small, so that the compressed offset reported with a gzip error is close to the damage. */
  private static final int GZIP_BUFFER_BYTES = 1 << 13;

  private final String file;
  private final CountingInputStream compressed;
  private final InputStream data;
  private long offsetBytes;
  private boolean gzipCutShort;

  private IdxInput(String file, CountingInputStream compressed, InputStream data) {
    this.file = file;
    this.compressed = compressed;
    this.data = data;
  }

  /**
   * Opens {@code uri} ({@code hdfs://}, {@code file://} or a path on the default file system).
   *
   * @param role {@code "images"} or {@code "labels"}, for the error message
   */
  static IdxInput open(Configuration conf, String uri, String role) {
    String failure = "open IDX " + role + " file " + uri + " failed; check the path"
        + (role.equals("labels") ? " or give the labels file with labels=<uri>" : "");
    InputStream in;
    try {
      Path path = new Path(uri);
      in = path.getFileSystem(conf).open(path);
    } catch (IOException e) {
      throw new UncheckedIOException(failure + " (" + e + ")", e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(failure + " (" + e.getMessage() + ")", e);
    }
    try {
      BufferedInputStream buffered = new BufferedInputStream(in, FILE_BUFFER_BYTES);
      if (!startsWithGzipMagic(buffered)) {
        return new IdxInput(uri, null, buffered);
      }
      CountingInputStream counted = new CountingInputStream(buffered);
      try {
        return new IdxInput(uri, counted, new GZIPInputStream(counted, GZIP_BUFFER_BYTES));
      } catch (EOFException | ZipException e) {
        throw new DataFormatException(uri, "compressed byte offset " + counted.countBytes(),
            "the file starts like gzip (0x1f 0x8b) but its gzip header is damaged or cut short ("
                + e.getMessage() + "); download or compress the file again", e);
      }
    } catch (IOException e) {
      closeQuietly(in, e);
      throw new UncheckedIOException("read IDX " + role + " file " + uri + " at its start", e);
    } catch (RuntimeException e) {
      closeQuietly(in, e);
      throw e;
    }
  }

  private static boolean startsWithGzipMagic(BufferedInputStream in) throws IOException {
    in.mark(2);
    boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
    in.reset();
    return gzip;
  }

  private static void closeQuietly(InputStream in, Exception pending) {
    try {
      in.close();
    } catch (IOException e) {
      pending.addSuppressed(e);
    }
  }

  /** Whether the file is gzipped: then it can only be read from its start. */
  boolean gzipped() {
    return compressed != null;
  }

  /**
   * Skips {@code bytes} of (uncompressed) data: a seek for a plain file on any Hadoop file
   * system; a gzip stream is inflated up to there.
   *
   * @return bytes skipped; fewer only when the data ended
   */
  long skip(long bytes) {
    long skipped = 0;
    try {
      while (skipped < bytes) {
        long n = data.skip(bytes - skipped);
        if (n <= 0) {
          if (data.read() < 0) {
            break;
          }
          n = 1;
        }
        skipped += n;
      }
    } catch (EOFException e) {
      gzipCutShort = true;
    } catch (ZipException e) {
      offsetBytes += skipped;
      throw corruptGzip(e);
    } catch (IOException e) {
      throw new UncheckedIOException("skip to uncompressed byte offset " + (offsetBytes + bytes)
          + " of IDX file " + file, e);
    }
    offsetBytes += skipped;
    return skipped;
  }

  /** The file as given. */
  String file() {
    return file;
  }

  /** Bytes of (uncompressed) data read so far: the offset of the next byte. */
  long offsetBytes() {
    return offsetBytes;
  }

  /**
   * Fills {@code buf} as far as the data goes.
   *
   * @return bytes read; fewer than {@code buf.length} only when the data ended (a plain file's
   *     end, or a gzip stream cut off before its end marker)
   * @throws DataFormatException when the gzip stream is corrupt
   */
  int readFully(byte[] buf) {
    int filled = 0;
    try {
      while (filled < buf.length) {
        int n = data.read(buf, filled, buf.length - filled);
        if (n < 0) {
          break;
        }
        filled += n;
      }
    } catch (EOFException e) {
      // GZIPInputStream's way of saying the compressed file ends mid-stream.
      gzipCutShort = true;
    } catch (ZipException e) {
      offsetBytes += filled;
      throw corruptGzip(e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "read IDX file " + file + " at uncompressed byte offset " + (offsetBytes + filled), e);
    }
    offsetBytes += filled;
    return filled;
  }

  /** Words to add to a "data ends here" message when the cause is a cut-off gzip stream. */
  String endOfDataNote() {
    return gzipCutShort
        ? " (the gzip stream stops before its end marker, at compressed byte offset "
            + compressed.countBytes() + ")"
        : "";
  }

  /**
   * Reads to the end of a gzip stream so that its CRC and length trailer get checked; bytes
   * after the data the header promised are ignored. Does nothing for a plain file.
   *
   * @throws DataFormatException when the gzip stream is corrupt or has no trailer
   */
  void verifyToEnd() {
    if (compressed == null) {
      return;
    }
    byte[] sink = new byte[GZIP_BUFFER_BYTES];
    try {
      for (int n = data.read(sink); n >= 0; n = data.read(sink)) {
        offsetBytes += n;
      }
    } catch (EOFException e) {
      throw new DataFormatException(file, "compressed byte offset " + compressed.countBytes(),
          "the gzip stream stops before its trailer, so its CRC cannot be checked"
              + " (uncompressed byte offset " + offsetBytes + " reached); the file is cut short:"
              + " download or compress it again", e);
    } catch (ZipException e) {
      throw corruptGzip(e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "read IDX file " + file + " at uncompressed byte offset " + offsetBytes, e);
    }
  }

  private DataFormatException corruptGzip(ZipException e) {
    return new DataFormatException(file, "compressed byte offset " + compressed.countBytes(),
        "corrupt gzip data (" + e.getMessage() + "); the damage lies before this offset,"
            + " found after " + offsetBytes + " uncompressed bytes; the file is damaged:"
            + " download or compress it again", e);
  }

  @Override
  public void close() throws IOException {
    data.close();
  }
}
