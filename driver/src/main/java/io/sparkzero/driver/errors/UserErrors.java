package io.sparkzero.driver.errors;

import io.sparkzero.checkpoint.CheckpointCorruptException;
import io.sparkzero.driver.data.DataFormatException;
import io.sparkzero.driver.report.MetricsFileException;
import io.sparkzero.sharding.options.ConfigException;
import io.sparkzero.worker.train.LossScale;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Tells user errors from bugs, for {@link ErrorReport}. A failure on an executor reaches the driver
 * wrapped in Spark's {@code SparkException} ("Job aborted due to stage failure: ... Lost task ...:
 * <class>: <message>" and the task's stack): in local mode the original exception is usually its
 * cause, on a cluster only that text survives. So the cause chain is searched first, then the
 * messages in it for a known exception's class name; either way the report keeps the original
 * one-line message, without Spark's wrapping and stack frames. A path that names no file is a
 * configuration error too; other I/O failures stay internal errors, reported with their trace.
 */
public final class UserErrors {
  /** The user errors, most specific first: a subclass before its parent. */
  private static final List<Known> KNOWN = List.of(
      new Known(DamagedCheckpointException.class, ErrorKind.DAMAGED_CHECKPOINT, null),
      new Known(CheckpointCorruptException.class, ErrorKind.DAMAGED_CHECKPOINT,
          "set checkpoint.on-corrupt: previous to resume from the committed step before it, or"
              + " point checkpoint.path at an empty directory to start over"),
      new Known(PlanDoesNotFitException.class, ErrorKind.PLAN_DOES_NOT_FIT,
          "'spark-zero plan JOB.yaml' shows what each zero.stage needs per rank"),
      new Known(ConfigException.class, ErrorKind.CONFIGURATION, null),
      new Known(DataFormatException.class, ErrorKind.DATA, null),
      new Known(MetricsFileException.class, ErrorKind.DATA, null),
      new Known(LossScale.NonFiniteGradientException.class, ErrorKind.DIVERGED, null));

  /** Bug reports need the stack trace that an executor's failure text carries after this line. */
  private static final String INTERNAL_HINT =
      "this is a bug in spark-zero: please report it with the stack trace above";

  private UserErrors() {}

  /** A known user error type, its kind, and the hint given when the exception has none. */
  private record Known(Class<? extends Throwable> type, ErrorKind kind, String hint) {}

  /** The report for {@code e}: a user error if one is found in it, else an internal error. */
  public static ErrorReport classify(Throwable e) {
    for (Throwable t = e; t != null; t = next(t)) {
      for (Known known : KNOWN) {
        if (known.type().isInstance(t)) {
          String hint = t instanceof DamagedCheckpointException d ? d.hint() : known.hint();
          return new ErrorReport(known.kind(), oneLine(t.getMessage()), hint, e);
        }
      }
    }
    ErrorReport full = storageFull(e);
    if (full != null) {
      return full;
    }
    ErrorReport missingFile = missingFile(e);
    if (missingFile != null) {
      return missingFile;
    }
    for (Throwable t = e; t != null; t = next(t)) {
      ErrorReport fromText = fromText(String.valueOf(t.getMessage()), e);
      if (fromText != null) {
        return fromText;
      }
    }
    Throwable root = e;
    while (next(root) != null) {
      root = next(root);
    }
    return new ErrorReport(ErrorKind.INTERNAL, firstLine(root.toString()), INTERNAL_HINT, e);
  }

  /** What operating systems and HDFS say when a write finds no room. */
  private static final List<String> FULL = List.of("No space left on device",
      "Disk quota exceeded", "DSQuotaExceededException", "NSQuotaExceededException");
  /** {@code <qualified class name>: }, where a failure's own message starts in Spark's text. */
  private static final java.util.regex.Pattern THROWN =
      java.util.regex.Pattern.compile("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: ");
  static final String FULL_HINT = "free space on that file system, or point the path elsewhere"
      + " (checkpoint.path, offload.nvme.path, output.*); committed checkpoints are intact";

  /** Whether {@code e} or a cause says that a write found no room. */
  public static boolean storageIsFull(Throwable e) {
    for (Throwable t = e; t != null; t = next(t)) {
      String message = String.valueOf(t.getMessage());
      if (FULL.stream().anyMatch(message::contains)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A write that found no room: the first line, of the outermost message that says so, that names
   * the full condition (a task's failure carries the rank's own line in Spark's text), without the
   * exception's class name.
   */
  private static ErrorReport storageFull(Throwable e) {
    for (Throwable t = e; t != null; t = next(t)) {
      for (String line : String.valueOf(t.getMessage()).lines().toList()) {
        if (FULL.stream().anyMatch(line::contains)) {
          // Spark's "... (host executor 1): pkg.SomeException: <message>", or the class alone:
          // the message follows; a class named inside a message (": java.io.IOException: ") stays
          java.util.regex.Matcher thrown = THROWN.matcher(line);
          boolean prefix = thrown.find() && (thrown.start() == 0
              || line.substring(0, thrown.start()).endsWith("): "));
          String text = prefix ? line.substring(thrown.end()) : line;
          return new ErrorReport(ErrorKind.STORAGE_FULL, text.strip(), FULL_HINT, e);
        }
      }
    }
    return null;
  }

  /**
   * A path that names no file (a data set, a model file) is a configuration error, reported with
   * the message of the outermost I/O exception, which names the operation and the path.
   */
  private static ErrorReport missingFile(Throwable e) {
    Throwable outermostIo = null;
    for (Throwable t = e; t != null; t = next(t)) {
      if (outermostIo == null && (t instanceof IOException || t instanceof UncheckedIOException)) {
        outermostIo = t;
      }
      if (t instanceof FileNotFoundException || t instanceof NoSuchFileException) {
        return new ErrorReport(ErrorKind.CONFIGURATION, oneLine(outermostIo.getMessage()), null, e);
      }
    }
    return null;
  }

  /**
   * The known exception whose {@code <class name>: } comes first in {@code text} (the outermost,
   * as Spark writes a task's failure), with the rest of that line as its message.
   */
  static ErrorReport fromText(String text, Throwable e) {
    Known first = null;
    int firstAt = Integer.MAX_VALUE;
    for (Known known : KNOWN) {
      int at = text.indexOf(known.type().getName() + ": ");
      if (at >= 0 && at < firstAt) {
        first = known;
        firstAt = at;
      }
    }
    if (first == null) {
      return null;
    }
    String rest = text.substring(firstAt + first.type().getName().length() + 2);
    return new ErrorReport(first.kind(), firstLine(rest).strip(), first.hint(), e);
  }

  /** A message on one line: a multi-line one (rare) is joined, not cut. */
  public static String oneLine(String message) {
    return String.valueOf(message).strip().lines().map(String::strip)
        .filter(line -> !line.isEmpty()).collect(Collectors.joining(" "));
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  private static Throwable next(Throwable t) {
    return t.getCause() == t ? null : t.getCause();
  }
}
