package io.sparkzero.driver.data;

import io.sparkzero.worker.data.ExampleChunk;
import io.sparkzero.worker.data.LabeledExample;
import java.util.function.Consumer;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The examples with ids {@code [from, to)} of a plain IDX pair, read on an executor by {@link
 * IdxReader}: a seek into each file, then one sequential pass over the range, so a bad record is
 * failed or skipped with the same message as one read of the whole files gives. Listed by {@link
 * IdxChunks}.
 */
final class IdxChunk implements ExampleChunk {

  private static final long serialVersionUID = 1L;

  private final SerializableConfiguration conf;
  private final IdxSpec spec;
  private final BadRecordPolicy policy;
  private final int from;
  private final int to;

  /** The configuration and the spec are shared by every chunk of one list. */
  IdxChunk(SerializableConfiguration conf, IdxSpec spec, BadRecordPolicy policy, int from,
      int to) {
    this.conf = conf;
    this.spec = spec;
    this.policy = policy;
    this.from = from;
    this.to = to;
  }

  @Override
  public long count() {
    return to - from;
  }

  @Override
  public String location() {
    return spec.imagesUri() + " ids " + from + "-" + (to - 1);
  }

  @Override
  public long read(Consumer<LabeledExample> sink) {
    return new IdxReader(conf.value(), policy)
        .read(spec, from, to, record -> sink.accept(record.toExample()))
        .badRecords().skippedCount();
  }

  @Override
  public String toString() {
    return location();
  }
}
