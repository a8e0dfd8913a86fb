package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rename that returns false, as HDFS's does when it refuses one (the local FileSystem would
 * rather replace the target): the shard or the step must not count as written.
 */
class RenameFailureTest {

  @TempDir
  Path dir;

  /** The local FileSystem, except that every rename fails the HDFS way. */
  private CheckpointStore storeWhoseRenamesReturnFalse() throws Exception {
    Configuration conf = new Configuration();
    FileSystem refusing = new FilterFileSystem(FileSystem.getLocal(conf)) {
      @Override
      public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) {
        return false;
      }
    };
    refusing.setConf(conf);
    return CheckpointStore.on(refusing, new org.apache.hadoop.fs.Path(dir.toUri()),
        CheckpointOptions.withBlockFloats(4));
  }

  @Test
  void shardWhoseRenameReturnsFalseFailsAndLeavesNothing() throws Exception {
    CheckpointStore store = storeWhoseRenamesReturnFalse();

    assertThatThrownBy(() -> Shards.writeRank(store, 1, 0, 0, 9))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot rename")
        .hasMessageContaining("rank-00000.shard")
        .hasMessageContaining("rename returned false (the shard of rank 0 of step 1)");

    try (var files = Files.list(dir.resolve("step-000000000001"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")))
          .isEmpty();
    }
  }

  @Test
  void manifestWhoseRenameReturnsFalseCommitsNothing() throws Exception {
    CheckpointStore good = CheckpointStore.open(dir.toUri().toString(), new Configuration(),
        CheckpointOptions.withBlockFloats(4));
    List<ShardRecord> records = Shards.write(good, 2, 0, 5, 9);
    CheckpointStore store = storeWhoseRenamesReturnFalse();

    assertThatThrownBy(() -> store.commit(Manifest.of(2, 9, Shards.ARRAYS, records, Map.of())))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("manifest.json")
        .hasMessageContaining("rename returned false (the manifest of step 2)");

    assertThat(good.committedSteps()).isEmpty();
    assertThat(good.cleanUncommitted()).isEqualTo(1);
  }
}
