package io.sparkzero.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The two halves of a commit: check the shards a manifest lists, then rename the manifest in. */
final class ManifestCommit {
  private ManifestCommit() {}

  /**
   * Every shard file the manifest lists is in {@code dir} with its recorded length: one listing
   * of the directory, however many ranks.
   */
  static void checkShards(FileSystem fs, Path dir, Manifest manifest) {
    Map<String, Long> lengths = new HashMap<>();
    for (FileStatus file : StepDirs.listStatus(fs, dir)) {
      lengths.put(file.getPath().getName(), file.getLen());
    }
    for (ShardRecord shard : manifest.shards()) {
      Long length = lengths.get(shard.file());
      if (length == null || length != shard.bytes()) {
        throw new IllegalStateException("cannot commit step " + manifest.step() + ": the shard"
            + " file " + new Path(dir, shard.file()) + " of rank " + shard.rank()
            + (length == null ? " is missing" : " has " + length + " bytes, its record says "
                + shard.bytes()) + "; nothing was committed, the step stays invisible. Write"
            + " every rank's shard (ShardWriter.finish()) before committing.");
      }
    }
  }

  /** Writes {@code manifest.json} through a temporary file and a checked rename. */
  static void write(FileSystem fs, Path dir, Manifest manifest,
      org.apache.hadoop.fs.permission.FsPermission permission) {
    Path target = new Path(dir, StepPaths.MANIFEST);
    Path temp = StepPaths.temp(target);
    try (OutputStream out = HadoopFiles.create(fs, temp, false, permission)) {
      out.write(ManifestJson.toJson(manifest));
    } catch (IOException e) {
      HadoopFiles.delete(fs, temp, false);
      throw new UncheckedIOException("writing the manifest of step " + manifest.step() + " to "
          + temp + ": " + e.getMessage() + "; nothing was committed", e);
    }
    try {
      HadoopFiles.renameNoReplace(fs, temp, target, "the manifest of step " + manifest.step(),
          "the step is already committed, and committed steps are never rewritten");
    } catch (UncheckedIOException e) {
      HadoopFiles.delete(fs, temp, false);
      throw e;
    }
  }
}
