package io.sparkzero.driver.data;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The files of a Parquet data set, found as Spark finds them: the path itself when it is a file,
 * else every file below it, at any depth, leaving out names that start with {@code _} or {@code .}
 * (Spark's {@code _SUCCESS}, {@code _temporary/}, checksum files {@code .part-*.crc}).
 */
final class ParquetFiles {

  private ParquetFiles() {}

  /**
   * The files under {@code uri}, ordered by path.
   *
   * @throws UncheckedIOException naming {@code uri} when it is missing, holds no files or cannot
   *     be listed
   */
  static List<FileStatus> list(Configuration conf, String uri) {
    try {
      Path root = new Path(uri);
      FileSystem fs = root.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(root);
      List<FileStatus> files = new ArrayList<>();
      if (status.isFile()) {
        files.add(status);
      } else {
        collect(fs, status.getPath(), files);
      }
      if (files.isEmpty()) {
        String problem = "list Parquet " + uri + " failed: no Parquet files under it (names"
            + " starting with _ or . are left out, as Spark does); check that the path holds the"
            + " data set's part files";
        throw new UncheckedIOException(problem, new FileNotFoundException(problem));
      }
      files.sort(Comparator.comparing(file -> file.getPath().toString()));
      return files;
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("list Parquet " + uri + " failed: no such file or"
          + " directory; check that the path exists and holds Parquet files", e);
    } catch (IOException e) {
      throw new UncheckedIOException("list Parquet " + uri + " failed (" + e + "); check that"
          + " the path exists and is readable", e);
    }
  }

  private static void collect(FileSystem fs, Path dir, List<FileStatus> files)
      throws IOException {
    for (FileStatus child : fs.listStatus(dir)) {
      String name = child.getPath().getName();
      if (name.startsWith("_") || name.startsWith(".")) {
        continue;
      }
      if (child.isDirectory()) {
        collect(fs, child.getPath(), files);
      } else {
        files.add(child);
      }
    }
  }
}
