package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.Shards.ARRAYS;
import static io.sparkzero.checkpoint.Shards.expected;
import static io.sparkzero.checkpoint.Shards.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Write, commit and read back: every array, every rank's meta, any range. */
abstract class RoundTripContract extends StoreFixture {

  @Test
  void everyArrayOfEveryRankReadsBackWithItsMetaAndTheManifest() {
    Manifest written = Shards.commit(store, 7, THREE_RANKS);

    try (Checkpoint checkpoint = store.open(7)) {
      assertThat(checkpoint.manifest()).isEqualTo(written);
      assertThat(checkpoint.manifest().properties()).isEqualTo(Map.of("epoch", "3",
          "zero.stage", "2"));
      for (int a = 0; a < ARRAYS.size(); a++) {
        assertThat(read(checkpoint, ARRAYS.get(a), 0, 37)).containsExactly(expected(7, a, 0, 37));
      }
      for (int rank = 0; rank < 3; rank++) {
        assertThat(checkpoint.meta(rank)).isEqualTo(Shards.meta(7, rank));
      }
      checkpoint.verify();
    }
  }

  @Test
  void threeRanksCheckpointReadsIntoTwoRanksAcrossShardAndBlockBoundaries() {
    Shards.commit(store, 3, THREE_RANKS);

    try (Checkpoint checkpoint = store.open(3)) {
      // Two new ranks: [0, 19) spans rank 0 and part of rank 1, [19, 37) the rest of 1 and 2.
      assertThat(read(checkpoint, "opt.1", 0, 19)).containsExactly(expected(3, 2, 0, 19));
      assertThat(read(checkpoint, "opt.1", 19, 18)).containsExactly(expected(3, 2, 19, 18));
      // [11, 27): the end of rank 0's last short block, all of rank 1, into rank 2's first block.
      assertThat(read(checkpoint, "params", 11, 16)).containsExactly(expected(3, 0, 11, 16));
      // Single elements on either side of a shard boundary and a block boundary.
      assertThat(read(checkpoint, "opt.0", 12, 2)).containsExactly(expected(3, 1, 12, 2));
      assertThat(read(checkpoint, "opt.0", 4, 2)).containsExactly(expected(3, 1, 4, 2));
      float[] dst = new float[8];
      checkpoint.read("opt.0", 30, dst, 1, 7);
      assertThat(dst).containsExactly(0f, Shards.value(3, 1, 30), Shards.value(3, 1, 31),
          Shards.value(3, 1, 32), Shards.value(3, 1, 33), Shards.value(3, 1, 34),
          Shards.value(3, 1, 35), Shards.value(3, 1, 36));
    }
  }

  @Test
  void anEmptyShardIsWrittenAndSkippedByReads() {
    Shards.commit(store, 1, 0, 13, 13, 26, 37);

    try (Checkpoint checkpoint = store.open(1)) {
      assertThat(checkpoint.manifest().worldSize()).isEqualTo(4);
      assertThat(checkpoint.manifest().shard(1).length()).isZero();
      assertThat(read(checkpoint, "opt.0", 10, 10)).containsExactly(expected(1, 1, 10, 10));
      assertThat(checkpoint.meta(1)).isEqualTo(Shards.meta(1, 1));
      checkpoint.verify();
    }
  }

  @Test
  void readsOutsideTheArrayOrOfAnUnknownArrayAreRefused() {
    Shards.commit(store, 2, THREE_RANKS);

    try (Checkpoint checkpoint = store.open(2)) {
      assertThatThrownBy(() -> read(checkpoint, "params", 30, 8))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[30, 38)").hasMessageContaining("[0, 37)");
      assertThatThrownBy(() -> read(checkpoint, "opt.2", 0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no array 'opt.2'").hasMessageContaining("[params, opt.0, opt.1]");
    }
  }

  @Test
  void storeUriIsQualifiedAndTheRootIsCreated() throws Exception {
    assertThat(store.uri()).matches("(file|hdfs):.*");
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path(store.uri())).isDirectory()).isTrue();
    assertThat(store.committedSteps()).isEmpty();
    assertThat(store.latestCommitted()).isEmpty();
  }
}
