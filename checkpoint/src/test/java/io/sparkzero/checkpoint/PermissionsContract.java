package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * What the store creates is its owner's only, unless the file mode says otherwise: the root, the
 * step directories, the shards, the manifest and the lease.
 */
abstract class PermissionsContract extends StoreFixture {

  private String mode(Path path) throws Exception {
    return Integer.toOctalString(fs.getFileStatus(path).getPermission().toShort());
  }

  @Test
  void everythingTheStoreCreatesIsOwnerOnlyByDefault(StoreRoot root) throws Exception {
    CheckpointStore owned = CheckpointStore.open(store.uri() + "-owned", root.conf());
    Shards.commit(owned, 1, THREE_RANKS);
    Path dir = new Path(owned.stepUri(1));
    assertThat(mode(new Path(owned.uri()))).as("the root").isEqualTo("700");
    assertThat(mode(dir)).as("a step directory").isEqualTo("700");
    assertThat(mode(new Path(dir, StepPaths.shardName(1)))).as("a shard").isEqualTo("600");
    assertThat(mode(new Path(dir, StepPaths.MANIFEST))).as("the manifest").isEqualTo("600");
    try (CheckpointLease lease = owned.lease(new CheckpointLease.Holder("job", "app", "host"), 60_000, false)) {
      assertThat(mode(new Path(lease.uri()))).as("the lease").isEqualTo("600");
    }
  }

  @Test
  void aGroupReadableModeIsAppliedToFilesAndDirectories(StoreRoot root) throws Exception {
    CheckpointStore shared = CheckpointStore.open(store.uri() + "-shared", root.conf(),
        CheckpointOptions.withBlockFloats(BLOCK_FLOATS).withFileMode(0640));
    Shards.commit(shared, 1, THREE_RANKS);
    Path dir = new Path(shared.stepUri(1));
    assertThat(mode(dir)).isEqualTo("750");
    assertThat(mode(new Path(dir, StepPaths.shardName(0)))).isEqualTo("640");
    assertThat(mode(new Path(dir, StepPaths.MANIFEST))).isEqualTo("640");
    assertThatThrownBy(() -> CheckpointOptions.DEFAULTS.withFileMode(0440))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("owner read and write");
  }
}
