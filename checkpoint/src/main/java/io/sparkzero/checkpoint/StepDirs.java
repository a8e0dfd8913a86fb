package io.sparkzero.checkpoint;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Lists a store's step directories and reads their manifests. */
final class StepDirs {
  private StepDirs() {}

  /** Manifests larger than this are refused unread: 64 MiB is far beyond any world size. */
  private static final long MAX_MANIFEST_BYTES = 64L << 20;

  /**
   * A step directory and what makes it committed or not.
   *
   * @param manifest the valid manifest, or null when the step is not committed
   * @param whyNot why it is not committed (no manifest, or the manifest's problem); null if it is
   * @param damaged whether a manifest is in place but does not parse or validate: the step was
   *     committed and then damaged, which is not the same as never committed
   */
  record StepDir(long step, Path dir, Manifest manifest, String whyNot, boolean damaged) {
    boolean committed() {
      return manifest != null;
    }
  }

  /** Every step directory under {@code root}, ascending by step. */
  static List<StepDir> list(FileSystem fs, Path root) {
    List<StepDir> steps = new ArrayList<>();
    for (FileStatus status : listStatus(fs, root)) {
      OptionalLong step = StepPaths.parseStep(status.getPath().getName());
      if (status.isDirectory() && step.isPresent()) {
        steps.add(describe(fs, status.getPath(), step.getAsLong()));
      }
    }
    steps.sort(Comparator.comparingLong(StepDir::step));
    return steps;
  }

  private static StepDir describe(FileSystem fs, Path dir, long step) {
    try {
      Manifest manifest = readManifest(fs, dir, step);
      return manifest == null
          ? new StepDir(step, dir, null, "no " + StepPaths.MANIFEST, false)
          : new StepDir(step, dir, manifest, null, false);
    } catch (CheckpointCorruptException e) {
      return new StepDir(step, dir, null, e.getMessage(), true);
    }
  }

  /**
   * The valid manifest of step {@code step} in {@code dir}, or null when there is none.
   *
   * @throws CheckpointCorruptException when the manifest does not parse, does not validate or
   *     names another step
   */
  static Manifest readManifest(FileSystem fs, Path dir, long step) {
    Path path = new Path(dir, StepPaths.MANIFEST);
    byte[] json;
    try (InputStream in = fs.open(path)) {
      json = in.readNBytes((int) MAX_MANIFEST_BYTES + 1);
    } catch (FileNotFoundException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading the manifest " + path + ": " + e.getMessage(), e);
    }
    if (json.length > MAX_MANIFEST_BYTES) {
      throw new CheckpointCorruptException(path.toString(), MAX_MANIFEST_BYTES,
          "manifest larger than " + MAX_MANIFEST_BYTES + " bytes");
    }
    Manifest manifest = ManifestJson.parse(json, path.toString());
    if (manifest.step() != step) {
      throw new CheckpointCorruptException(path.toString(), CheckpointCorruptException.WHOLE_FILE,
          "the manifest says step " + manifest.step() + " but sits in the directory of step "
              + step);
    }
    return manifest;
  }

  static FileStatus[] listStatus(FileSystem fs, Path dir) {
    try {
      return fs.listStatus(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir + ": " + e.getMessage()
          + " (check that the checkpoint directory exists and is readable)", e);
    }
  }
}
