package io.sparkzero.sharding.plan;

/**
 * A half-open range {@code [from, to)} of offsets into the flat parameter vector (or into a buffer
 * that holds part of it).
 *
 * @param from first offset in the range
 * @param to one past the last offset; equal to {@code from} for an empty range
 */
public record Range(int from, int to) {

  public Range {
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(
          "range [" + from + ", " + to + ") is invalid: expected 0 <= from <= to");
    }
  }

  /** Number of offsets in the range. */
  public int length() {
    return to - from;
  }

  public boolean isEmpty() {
    return from == to;
  }

  /** Whether {@code offset} lies in {@code [from, to)}. */
  public boolean contains(int offset) {
    return offset >= from && offset < to;
  }

  /**
   * The offsets both ranges hold. When they are disjoint the result is empty and sits at the larger
   * of the two {@code from}s, so it still says where the overlap would have begun.
   */
  public Range intersect(Range other) {
    int lo = Math.max(from, other.from);
    int hi = Math.min(to, other.to);
    return new Range(lo, Math.max(lo, hi));
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + ")";
  }
}
