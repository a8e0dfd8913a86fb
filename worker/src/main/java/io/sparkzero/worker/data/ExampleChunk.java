package io.sparkzero.worker.data;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A piece of the training data that one rank reads whole while it streams an epoch: a Parquet row
 * group, a byte range of an IDX file, a range of synthetic ids. The driver lists a data set's
 * chunks from its metadata only ({@link StreamPlan}); a rank opens each chunk it is dealt on its
 * own executor, through the Hadoop {@code FileSystem} API.
 *
 * <p>An implementation is a small serializable description (a path, a row group number, a byte
 * range): reading it again gives the same examples in the same order.
 */
public interface ExampleChunk extends Serializable {

  /** The examples the chunk holds by its metadata, bad records included. */
  long count();

  /** Where the chunk lies, for messages: the file and the row group or byte range. */
  String location();

  /**
   * Reads the chunk's examples in order and passes each good one to {@code sink}.
   *
   * @return the bad records skipped (the data source's {@code skip} policy)
   * @throws RuntimeException the data source's error for a bad record under the {@code fail}
   *     policy, naming the file and the byte offset or row; or an I/O failure naming the path
   */
  long read(Consumer<LabeledExample> sink);
}
