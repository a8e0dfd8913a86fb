package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import java.util.ArrayList;
import java.util.List;

/** Lists a {@link SyntheticSpec}'s ids as {@link SyntheticChunk}s: nothing is read or made. */
public final class SyntheticChunks {

  private SyntheticChunks() {}

  /**
   * Chunks of at most {@code examplesPerChunk} consecutive ids, from the spec's first id on.
   *
   * @throws IllegalArgumentException when {@code examplesPerChunk < 1}
   */
  public static List<ExampleChunk> list(SyntheticSpec spec, int examplesPerChunk) {
    if (examplesPerChunk < 1) {
      throw new IllegalArgumentException("synthetic data: examplesPerChunk = " + examplesPerChunk
          + " must be >= 1");
    }
    long end = spec.firstId() + spec.count();
    List<ExampleChunk> chunks = new ArrayList<>();
    for (long from = spec.firstId(); from < end; from += examplesPerChunk) {
      chunks.add(new SyntheticChunk(spec, from, Math.min(from + examplesPerChunk, end)));
    }
    return chunks;
  }
}
