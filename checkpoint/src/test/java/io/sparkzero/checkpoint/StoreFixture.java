package io.sparkzero.checkpoint;

import java.io.IOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * Base of the store contracts, which run unchanged on {@code file://} ({@link
 * LocalCheckpointStoreTest}) and on a MiniDFSCluster ({@link HdfsCheckpointStoreIT}), whichever
 * {@link StoreRoot} the test class's extension resolves. Each test gets a fresh store, with
 * blocks of {@value #BLOCK_FLOATS} floats so that every shard spans several blocks and none ends on
 * a block boundary.
 */
abstract class StoreFixture {
  static final int BLOCK_FLOATS = 5;
  /** Three ranks over 37 elements: 13, 11 and 13 elements, none a multiple of the block. */
  static final long[] THREE_RANKS = {0, 13, 24, 37};

  CheckpointStore store;
  FileSystem fs;
  Damage damage;

  @BeforeEach
  void openStore(TestInfo test, StoreRoot root) throws IOException {
    String name = getClass().getSimpleName() + "-" + test.getTestMethod().orElseThrow().getName();
    store = CheckpointStore.open(root.baseUri() + "/" + name, root.conf(),
        CheckpointOptions.withBlockFloats(BLOCK_FLOATS));
    fs = new Path(store.uri()).getFileSystem(root.conf());
    damage = new Damage(fs);
  }

  Path stepDir(long step) {
    return new Path(store.stepUri(step));
  }

  Path shard(long step, int rank) {
    return new Path(stepDir(step), StepPaths.shardName(rank));
  }

  Path manifest(long step) {
    return new Path(stepDir(step), StepPaths.MANIFEST);
  }
}
