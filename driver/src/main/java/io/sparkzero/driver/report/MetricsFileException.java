package io.sparkzero.driver.report;

/**
 * A metrics file that cannot be read: missing, unreadable, or with a line that is not a JSON
 * object with a {@code kind}. The message is one line naming the file and, for a bad line, its
 * number (from 1), so that {@code spark-zero report} can print it as it is.
 */
public final class MetricsFileException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String uri;
  private final long lineNumber;

  /** A problem with the whole file ({@code lineNumber} 0). */
  public MetricsFileException(String uri, String problem, Throwable cause) {
    super("metrics file " + uri + ": " + problem, cause);
    this.uri = uri;
    this.lineNumber = 0;
  }

  /** A problem with one line, numbered from 1. */
  public MetricsFileException(String uri, long lineNumber, String problem) {
    super("metrics file " + uri + " line " + lineNumber + ": " + problem);
    this.uri = uri;
    this.lineNumber = lineNumber;
  }

  /** The file, as given. */
  public String uri() {
    return uri;
  }

  /** The bad line, from 1; 0 when the problem is the whole file. */
  public long lineNumber() {
    return lineNumber;
  }
}
