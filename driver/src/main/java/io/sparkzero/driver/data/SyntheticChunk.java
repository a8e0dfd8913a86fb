package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import io.sparkzero.worker.data.LabeledExample;
import java.util.function.Consumer;

/**
 * Synthetic examples with ids {@code [fromId, toId)}, made on the rank by {@link
 * SyntheticExampleMaker}: the same examples {@link SyntheticSource} gives for these ids. Listed
 * by {@link SyntheticChunks}.
 */
final class SyntheticChunk implements ExampleChunk {

  private static final long serialVersionUID = 1L;

  private final SyntheticSpec spec;
  private final long fromId;
  private final long toId;

  /** The spec is shared by every chunk of one list. */
  SyntheticChunk(SyntheticSpec spec, long fromId, long toId) {
    this.spec = spec;
    this.fromId = fromId;
    this.toId = toId;
  }

  @Override
  public long count() {
    return toId - fromId;
  }

  @Override
  public String location() {
    return "synthetic data (seed " + spec.seed() + ") ids " + fromId + "-" + (toId - 1);
  }

  /** Makes the examples; synthetic data has no bad records, so this returns 0. */
  @Override
  public long read(Consumer<LabeledExample> sink) {
    SyntheticExampleMaker maker = new SyntheticExampleMaker(spec);
    for (long id = fromId; id < toId; id++) {
      sink.accept(maker.make(id));
    }
    return 0;
  }

  @Override
  public String toString() {
    return location();
  }
}
