package io.sparkzero.driver.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes a page to any Hadoop FileSystem URI so that a reader never sees half of it: to a hidden
 * temporary name beside the target, then renamed over it.
 */
public final class ReportOutput {

  private ReportOutput() {}

  /** Writes {@code html} (or any text, as UTF-8) to {@code uri}, replacing what is there. */
  public static void write(Configuration conf, String uri, String html) {
    write(conf, uri, html.getBytes(StandardCharsets.UTF_8), "the report");
  }

  /** Writes {@code bytes} to {@code uri}, replacing what is there; {@code what} names it in errors. */
  public static void write(Configuration conf, String uri, byte[] bytes, String what) {
    Path target = new Path(uri);
    Path temp = new Path(target.getParent(), "." + target.getName() + ".tmp");
    try {
      FileSystem fs = target.getFileSystem(conf);
      fs.mkdirs(target.getParent());
      try (OutputStream out = fs.create(temp, true)) {
        out.write(bytes);
      }
      // A report is rewritten as a run goes on, so an older one is replaced, not refused.
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("delete of the previous file returned false");
      }
      // HDFS reports a failed rename as false, not as an exception.
      if (!fs.rename(temp, target)) {
        throw new IOException("rename from " + temp + " returned false");
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("writing " + what + " " + uri + ": "
          + e.getMessage() + "; check that the directory exists and is writable", e));
    }
  }
}
