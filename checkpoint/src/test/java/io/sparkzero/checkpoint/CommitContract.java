package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.Shards.ARRAYS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/** The commit protocol: a step exists for readers only once its manifest is renamed into place. */
abstract class CommitContract extends StoreFixture {

  @Test
  void stepWithShardsButNoManifestIsInvisibleUntilCommitted() {
    Shards.commit(store, 1, THREE_RANKS);
    List<ShardRecord> records = Shards.write(store, 2, THREE_RANKS);

    assertThat(store.committedSteps()).containsExactly(1L);
    assertThat(store.latestCommitted()).contains(1L);
    assertThatThrownBy(() -> store.open(2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step 2 is not committed").hasMessageContaining("[1]");

    store.commit(Manifest.of(2, 37, ARRAYS, records, Map.of()));
    assertThat(store.committedSteps()).containsExactly(1L, 2L);
    assertThat(store.latestCommitted()).contains(2L);
  }

  @Test
  void cleanUncommittedDeletesUnfinishedStepsAndStrayTemporaryFiles() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Shards.write(store, 2, THREE_RANKS);
    Path stray = new Path(stepDir(1), ".rank-00001.shard.5eed.tmp");
    fs.create(stray, false).close();

    assertThat(store.cleanUncommitted()).isEqualTo(2);

    assertThat(fs.exists(stepDir(2))).isFalse();
    assertThat(fs.exists(stray)).isFalse();
    assertThat(store.committedSteps()).containsExactly(1L);
    try (Checkpoint checkpoint = store.open(1)) {
      checkpoint.verify();
    }
    assertThat(store.cleanUncommitted()).isZero();
  }

  @Test
  void shardLeftUnderItsTemporaryNameIsNotCommittedAndIsCleanedUp() throws Exception {
    List<ShardRecord> records = Shards.write(store, 4, THREE_RANKS);
    // Rank 1 died between closing its file and the rename.
    Path temp = StepPaths.temp(shard(4, 1));
    assertThat(fs.rename(shard(4, 1), temp)).isTrue();
    Manifest manifest = Manifest.of(4, 37, ARRAYS, records, Map.of());

    assertThatThrownBy(() -> store.commit(manifest)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(shard(4, 1).toString()).hasMessageContaining("is missing")
        .hasMessageContaining("nothing was committed");
    assertThat(fs.exists(manifest(4))).isFalse();
    assertThat(store.committedSteps()).isEmpty();
    assertThat(store.cleanUncommitted()).isEqualTo(1);
    assertThat(fs.exists(stepDir(4))).isFalse();
  }

  @Test
  void commitRefusesAShardOfAnotherLength() {
    List<ShardRecord> records = Shards.write(store, 5, THREE_RANKS);
    ShardRecord r2 = records.get(2);
    ShardRecord longer = new ShardRecord(2, r2.file(), r2.from(), r2.to(), r2.bytes() + 4,
        r2.headerCrc32c());

    assertThatThrownBy(() -> store.commit(Manifest.of(5, 37, ARRAYS,
        List.of(records.get(0), records.get(1), longer), Map.of())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(shard(5, 2).toString())
        .hasMessageContaining("has " + r2.bytes() + " bytes, its record says " + (r2.bytes() + 4));
    assertThat(store.committedSteps()).isEmpty();
  }

  @Test
  void committedStepIsNeverRewritten() {
    Manifest manifest = Shards.commit(store, 6, THREE_RANKS);

    assertThatThrownBy(() -> store.commit(manifest)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("step 6 is already committed");
    assertThatThrownBy(() -> Shards.writeRank(store, 6, 0, 0, 13))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("step 6 is already committed");
  }

  @Test
  void aRetryReplacesAnUncommittedShardButTwoWritersAtOnceDoNotOverwrite() throws Exception {
    Shards.writeRank(store, 8, 0, 0, 13);
    // A second attempt of rank 0 at the same uncommitted step (a relaunched stage).
    ShardRecord retry = Shards.writeRank(store, 8, 0, 0, 13);
    assertThat(Arrays.stream(fs.listStatus(stepDir(8))).map(FileStatus::getPath)
        .map(Path::getName)).containsExactly("rank-00000.shard");
    assertThat(damage.length(shard(8, 0))).isEqualTo(retry.bytes());

    // Two writers of one shard at once: the one finishing second finds the name taken.
    ShardHeader header = new ShardHeader(0, 0, 13, ARRAYS, new byte[0]);
    try (ShardWriter late = store.beginShard(8, 0, header)) {
      ShardRecord early = Shards.writeRank(store, 8, 0, 0, 13);
      for (String array : ARRAYS) {
        late.write(array, new float[13], 0, 13);
      }
      assertThatThrownBy(late::finish)
          .isInstanceOf(UncheckedIOException.class)
          .hasCauseInstanceOf(FileAlreadyExistsException.class)
          .hasMessageContaining(shard(8, 0).toString())
          .hasMessageContaining("already exists");
      assertThat(damage.length(shard(8, 0))).isEqualTo(early.bytes());
    }
    assertThat(Arrays.stream(fs.listStatus(stepDir(8))).map(FileStatus::getPath)
        .map(Path::getName)).as("no temporary file left").containsExactly("rank-00000.shard");
  }

  @Test
  void writerClosedWithoutFinishDeletesItsTemporaryFile() throws Exception {
    ShardHeader header = new ShardHeader(0, 0, 13, ARRAYS, new byte[0]);
    try (ShardWriter writer = store.beginShard(9, 0, header)) {
      writer.write("params", new float[13], 0, 13);
      assertThat(fs.listStatus(stepDir(9))).hasSize(1);
    }
    assertThat(fs.listStatus(stepDir(9))).isEmpty();
  }
}
