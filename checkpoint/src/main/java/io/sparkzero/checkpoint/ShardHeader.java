package io.sparkzero.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;

/**
 * What one rank's shard holds: for every named array (e.g. {@code "params"}, {@code "opt.0"},
 * {@code "opt.1"}), elements {@code [from, to)} of that array's flat global vector, so every array
 * in the shard has {@code to - from} elements; plus the rank's opaque {@code meta} bytes.
 *
 * @param rank the rank that wrote the shard, {@code >= 0}
 * @param from first global element the shard holds
 * @param to one past the last global element; equal to {@code from} for an empty shard
 * @param arrays the arrays' names, in the order they are written; non-empty, distinct
 * @param meta small opaque bytes of the trainer (step counters, loss scale, RNG states, data
 *     position), at most {@link #META_MAX_BYTES}
 */
public record ShardHeader(int rank, long from, long to, List<String> arrays, byte[] meta) {

  /** Largest {@code meta}: it is read whole with the header. */
  public static final int META_MAX_BYTES = 64 * 1024;
  /** Largest array name, in UTF-8 bytes. */
  public static final int NAME_MAX_BYTES = 256;
  /** Most arrays in one shard. */
  public static final int ARRAYS_MAX = 1024;

  /** Validates every field; {@code arrays} and {@code meta} are copied. */
  public ShardHeader {
    if (rank < 0 || from < 0 || to < from) {
      throw new IllegalArgumentException("shard header of rank " + rank + " for [" + from + ", "
          + to + ") is invalid: expected rank >= 0 and 0 <= from <= to");
    }
    arrays = checkArrays(arrays);
    if (meta == null || meta.length > META_MAX_BYTES) {
      throw new IllegalArgumentException("shard header of rank " + rank + ": meta must be non-null"
          + " and at most " + META_MAX_BYTES + " bytes, got "
          + (meta == null ? "null" : meta.length + " bytes"));
    }
    meta = meta.clone();
  }

  /**
   * Checks a list of array names (non-empty, distinct, each 1..{@link #NAME_MAX_BYTES} UTF-8
   * bytes) and returns an immutable copy.
   */
  static List<String> checkArrays(List<String> arrays) {
    if (arrays == null || arrays.isEmpty() || arrays.size() > ARRAYS_MAX) {
      throw new IllegalArgumentException(
          "array names " + arrays + " are invalid: expected 1.." + ARRAYS_MAX + " names");
    }
    for (String name : arrays) {
      if (name == null || name.isEmpty()
          || name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX_BYTES) {
        throw new IllegalArgumentException("array name '" + name + "' is invalid: expected 1.."
            + NAME_MAX_BYTES + " UTF-8 bytes");
      }
    }
    if (new HashSet<>(arrays).size() != arrays.size()) {
      throw new IllegalArgumentException("array names " + arrays + " repeat a name");
    }
    return List.copyOf(arrays);
  }

  /** Elements each array of this shard holds, {@code to - from}. */
  public long length() {
    return to - from;
  }

  /** A copy of the meta bytes. */
  @Override
  public byte[] meta() {
    return meta.clone();
  }
}
