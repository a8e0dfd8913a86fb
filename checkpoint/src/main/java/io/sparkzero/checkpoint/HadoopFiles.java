package io.sparkzero.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The few FileSystem operations whose failure Hadoop reports as {@code false} rather than an
 * exception, checked, with errors that name the operation and the paths.
 */
final class HadoopFiles {
  private HadoopFiles() {}

  /**
   * Renames {@code temp} to {@code target}, refusing when the target exists: HDFS's rename returns
   * false onto an existing file, but the local FileSystem silently replaces it, so the check is
   * made first on every FileSystem, and the rename's own result is checked after (it still
   * catches a target created in between on HDFS). Either failure is an {@link
   * UncheckedIOException}; an existing target has a {@link FileAlreadyExistsException} cause.
   *
   * @param what what the target is, for the error, e.g. "the shard of rank 3 of step 10"
   * @param remedy what to do when the target exists
   */
  static void renameNoReplace(FileSystem fs, Path temp, Path target, String what, String remedy) {
    try {
      if (fs.exists(target)) {
        throw new FileAlreadyExistsException("the target (" + what + ") already exists; " + remedy);
      }
      if (!fs.rename(temp, target)) {
        throw new IOException("the FileSystem's rename returned false (" + what + "): a missing"
            + " source or parent directory, or an existing target; " + remedy);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rename " + temp + " to " + target + ": "
          + e.getMessage(), e);
    }
  }

  /** Deletes {@code path} (a directory with everything in it when recursive); false if absent. */
  static boolean delete(FileSystem fs, Path path, boolean recursive) {
    try {
      if (!fs.exists(path)) {
        return false;
      }
      if (!fs.delete(path, recursive) && fs.exists(path)) {
        throw new IOException("delete returned false and the path is still there");
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("deleting " + path + ": " + e.getMessage()
          + "; check the permissions on " + path.getParent(), e);
    }
  }

  /**
   * Creates {@code path} with {@code permission}, through the FileSystem's own buffer size,
   * replication and block size.
   */
  static org.apache.hadoop.fs.FSDataOutputStream create(FileSystem fs, Path path, boolean overwrite,
      org.apache.hadoop.fs.permission.FsPermission permission) throws IOException {
    return fs.create(path, permission, overwrite, fs.getConf().getInt("io.file.buffer.size", 4096),
        fs.getDefaultReplication(path), fs.getDefaultBlockSize(path), null);
  }

  /** Creates {@code dir} and its parents, if missing, with {@code permission}. */
  static void mkdirs(FileSystem fs, Path dir, org.apache.hadoop.fs.permission.FsPermission permission) {
    try {
      if (fs.exists(dir)) {
        return;
      }
      if (!fs.mkdirs(dir, permission)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("creating the directory " + dir + ": " + e.getMessage()
          + "; check that the parent exists, is a directory and is writable", e);
    }
  }
}
