package io.sparkzero.driver.data;

import java.io.Serializable;

/**
 * Where one bad record sits and what is wrong with it.
 *
 * @param file the file (or URI) holding the record
 * @param location where in the file: {@code "byte offset 1234"} or {@code "row id 17"}
 * @param reason what was found and what was expected
 */
public record BadRecord(String file, String location, String reason) implements Serializable {

  /** A record located by its byte offset in the (uncompressed) file. */
  public static BadRecord atByteOffset(String file, long offsetBytes, String reason) {
    return new BadRecord(file, "byte offset " + offsetBytes, reason);
  }

  /** A record located by its {@code id} column. */
  public static BadRecord atRow(String file, Object rowId, String reason) {
    return new BadRecord(file, rowId == null ? "row with null id" : "row id " + rowId, reason);
  }

  /** One line for logs and reports: {@code file, location: reason}. */
  public String describe() {
    return file + ", " + location + ": " + reason;
  }
}
