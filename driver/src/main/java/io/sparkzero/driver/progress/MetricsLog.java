package io.sparkzero.driver.progress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparkzero.sharding.options.ConfigException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The metrics file: JSON lines on any Hadoop FileSystem, flushed ({@code hflush}) after each
 * batch of lines so that readers see them while the job runs. A file already there (an earlier
 * run with the same {@code output.metrics}) is kept under the next free name {@code <name>.1},
 * {@code <name>.2}, ...: nothing is overwritten.
 */
final class MetricsLog implements AutoCloseable {
  private final String uri;
  private final FSDataOutputStream out;

  private MetricsLog(String uri, FSDataOutputStream out) {
    this.uri = uri;
    this.out = out;
  }

  /** Creates the file; throws naming {@code option} when it cannot be written. */
  static MetricsLog create(String option, String uri, Configuration hadoop, Runnable onKept) {
    try {
      Path path = new Path(uri);
      FileSystem fs = path.getFileSystem(hadoop);
      if (fs instanceof LocalFileSystem local) {
        // The checksummed local file system keeps written bytes in its checksum buffer until
        // close, so readers would see nothing while the job runs; its raw one flushes.
        fs = local.getRawFileSystem();
      }
      if (fs.exists(path)) {
        Path kept = freeName(fs, path);
        if (!fs.rename(path, kept)) {
          throw new IOException("could not rename the existing file to " + kept);
        }
        onKept.run();
      }
      return new MetricsLog(uri, fs.create(path, false));
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException(option, "cannot write the metrics file " + uri + ": " + e.getMessage());
    }
  }

  /** Appends one line (not yet flushed). */
  void write(ObjectNode line) {
    try {
      out.write(MetricsLines.JSON.writeValueAsBytes(line));
      out.write('\n');
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("writing the metrics file " + uri, e);
    }
  }

  /** Makes the lines written so far visible to readers. */
  void flush() {
    try {
      out.hflush();
    } catch (IOException e) {
      throw new UncheckedIOException("flushing the metrics file " + uri, e);
    }
  }

  @Override
  public void close() {
    try (OutputStream closing = out) {
      closing.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("closing the metrics file " + uri, e);
    }
  }

  String uri() {
    return uri;
  }

  private static Path freeName(FileSystem fs, Path path) throws IOException {
    for (int n = 1; ; n++) {
      Path candidate = path.suffix("." + n);
      if (!fs.exists(candidate)) {
        return candidate;
      }
    }
  }
}
