package io.sparkzero.checkpoint;

import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;

/**
 * Names under a store's root: {@code step-%012d/} per step, {@code rank-%05d.shard} per rank and
 * {@code manifest.json} in it; temporary files are {@code .<final name>.<random>.tmp} beside their
 * final name (hidden from Hadoop's input formats, unique per attempt).
 */
final class StepPaths {
  private StepPaths() {}

  static final String MANIFEST = "manifest.json";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final Pattern STEP_DIR = Pattern.compile("step-(\\d{12,19})");

  static Path stepDir(Path root, long step) {
    return new Path(root, String.format("step-%012d", step));
  }

  static String shardName(int rank) {
    return String.format("rank-%05d.shard", rank);
  }

  /** A fresh temporary name beside {@code target}. */
  static Path temp(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "."
        + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + TEMP_SUFFIX);
  }

  static boolean isTemp(String name) {
    return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
  }

  /** The step a directory named {@code name} holds, or empty when it is not a step directory. */
  static OptionalLong parseStep(String name) {
    Matcher m = STEP_DIR.matcher(name);
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
