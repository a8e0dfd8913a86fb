package io.sparkzero.driver.data;

/**
 * Data that does not have the promised format. The message always reads
 * {@code <file>, <location>: <what was found, what was expected, what to do>}, where the location
 * is a byte offset (IDX, counted in the uncompressed stream unless it says otherwise), a row id
 * (Parquet) or a column.
 */
public final class DataFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String file;
  private final String location;

  /**
   * @param file the file or URI at fault
   * @param location where in it, e.g. {@code "byte offset 16"}, {@code "row id 3"}, {@code
   *     "column 'label'"}
   * @param problem what was found and what was expected
   */
  public DataFormatException(String file, String location, String problem) {
    this(file, location, problem, null);
  }

  /** As {@link #DataFormatException(String, String, String)}, keeping the low-level cause. */
  public DataFormatException(String file, String location, String problem, Throwable cause) {
    super(file + ", " + location + ": " + problem, cause);
    this.file = file;
    this.location = location;
  }

  /** The file or URI at fault. */
  public String file() {
    return file;
  }

  /** Where in the file, e.g. {@code "byte offset 16"}. */
  public String location() {
    return location;
  }
}
