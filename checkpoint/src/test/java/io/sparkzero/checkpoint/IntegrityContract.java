package io.sparkzero.checkpoint;

import static io.sparkzero.checkpoint.Shards.expected;
import static io.sparkzero.checkpoint.Shards.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.hadoop.fs.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Damaged files are found at load and named, with the byte offset and what is wrong; intact data
 * around them stays readable. Three ranks own [0, 13), [13, 24) and [24, 37).
 */
abstract class IntegrityContract extends StoreFixture {

  private CheckpointCorruptException corrupt(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(CheckpointCorruptException.class);
    return (CheckpointCorruptException) thrown;
  }

  private void assertOtherShardsStillRead(Checkpoint checkpoint, int damagedRank) {
    long[] b = THREE_RANKS;
    for (int rank = 0; rank < 3; rank++) {
      if (rank != damagedRank) {
        int n = (int) (b[rank + 1] - b[rank]);
        assertThat(read(checkpoint, "opt.1", b[rank], n))
            .containsExactly(expected(1, 2, b[rank], n));
      }
    }
  }

  @Test
  void truncatedShardIsNamedWithWhereItEnds() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    long length = damage.length(shard(1, 1));
    damage.truncate(shard(1, 1), length - 7);

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(() -> read(checkpoint, "params", 13, 1));
      assertThat(e.file()).isEqualTo(shard(1, 1).toString());
      assertThat(e.offsetBytes()).isEqualTo(length - 7);
      assertThat(e).hasMessageContaining("truncated: " + (length - 7) + " bytes, the manifest"
          + " records " + length).hasMessageContaining("older committed step");
      assertOtherShardsStillRead(checkpoint, 1);
      assertThat(corrupt(checkpoint::verify).file()).isEqualTo(shard(1, 1).toString());
    }
  }

  @Test
  void zeroLengthShardIsNamed() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    damage.truncate(shard(1, 2), 0);

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(() -> checkpoint.meta(2));
      assertThat(e.file()).isEqualTo(shard(1, 2).toString());
      assertThat(e).hasMessageContaining("at byte 0: zero length");
      assertOtherShardsStillRead(checkpoint, 2);
      assertThat(corrupt(checkpoint::verify)).hasMessageContaining("zero length");
    }
  }

  @Test
  void flippedBitInADataBlockIsNamedWithTheBlockAndOnlyThatBlockFails() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Path file = shard(1, 0);
    long block1 = damage.layout(file).blockOffset(1, 1);   // opt.0, elements [5, 10)
    damage.flipBit(file, block1 + 9, 3);

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(() -> read(checkpoint, "opt.0", 9, 1));
      assertThat(e.file()).isEqualTo(file.toString());
      assertThat(e.offsetBytes()).isEqualTo(block1);
      assertThat(e).hasMessageContaining("block 1 of array 'opt.0' (elements [5, 10))")
          .hasMessageContaining("CRC32C mismatch");
      // The same shard's other blocks and arrays are intact.
      assertThat(read(checkpoint, "opt.0", 0, 5)).containsExactly(expected(1, 1, 0, 5));
      assertThat(read(checkpoint, "opt.0", 10, 3)).containsExactly(expected(1, 1, 10, 3));
      assertThat(read(checkpoint, "params", 0, 13)).containsExactly(expected(1, 0, 0, 13));
      assertOtherShardsStillRead(checkpoint, 0);
      assertThat(corrupt(checkpoint::verify).offsetBytes()).isEqualTo(block1);
    }
  }

  @Test
  void flippedBitInTheHeaderIsNamed() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Path file = shard(1, 2);
    long headerCrcAt = damage.layout(file).dataOffsetBytes() - ShardFormat.CRC_BYTES;
    damage.flipBit(file, 20, 0);   // the low byte of 'from'

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(() -> read(checkpoint, "params", 30, 2));
      assertThat(e.file()).isEqualTo(file.toString());
      assertThat(e.offsetBytes()).isEqualTo(headerCrcAt);
      assertThat(e).hasMessageContaining("header CRC32C mismatch");
      assertOtherShardsStillRead(checkpoint, 2);
      assertThat(corrupt(checkpoint::verify)).hasMessageContaining("header CRC32C mismatch");
    }
  }

  @Test
  void badMagicUnsupportedVersionAndDamagedTrailerAreNamed() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    damage.flipBit(shard(1, 0), 0, 1);
    byte[] rank1 = damage.bytes(shard(1, 1));
    ByteBuffer.wrap(rank1).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 2);
    damage.replace(shard(1, 1), rank1);
    long trailerAt = damage.layout(shard(1, 2)).trailerOffset();
    damage.flipBit(shard(1, 2), trailerAt + 9, 7);

    try (Checkpoint checkpoint = store.open(1)) {
      assertThat(corrupt(() -> checkpoint.meta(0))).hasMessageContaining("at byte 0: bad magic");
      assertThat(corrupt(() -> checkpoint.meta(1)))
          .hasMessageContaining("at byte 8: unsupported shard format version 2");
      CheckpointCorruptException trailer = corrupt(() -> checkpoint.meta(2));
      assertThat(trailer.offsetBytes()).isEqualTo(trailerAt);
      assertThat(trailer).hasMessageContaining("trailer CRC32C mismatch");
    }
  }

  @Test
  void missingShardFileIsNamed() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    assertThat(fs.delete(shard(1, 2), false)).isTrue();

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(checkpoint::verify);
      assertThat(e.file()).isEqualTo(shard(1, 2).toString());
      assertThat(e).hasMessageContaining("missing shard file of rank 2");
      assertOtherShardsStillRead(checkpoint, 2);
    }
  }

  @Test
  void manifestWithAGapIsNotCommittedAndOpeningItNamesTheGap() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Shards.commit(store, 2, THREE_RANKS);
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = (ObjectNode) json.readTree(damage.bytes(manifest(2)));
    ((ObjectNode) manifest.withArray("shards").get(1)).put("from", 14);
    damage.replace(manifest(2), json.writeValueAsBytes(manifest));

    assertThat(store.committedSteps()).containsExactly(1L);
    assertThat(store.latestCommitted()).contains(1L);
    CheckpointCorruptException e = corrupt(() -> store.open(2));
    assertThat(e.file()).isEqualTo(manifest(2).toString());
    assertThat(e).hasMessageContaining("manifest gap: elements [13, 14) are in no shard")
        .hasMessageContaining("rank 0 [0, 13)").hasMessageContaining("rank 1 [14, 24)");
  }

  /**
   * A manifest in place that does not parse is damage to a committed step, not a write that never
   * finished: clean-up keeps it, a resume sees it among the steps to consider, and opening it names
   * the file.
   */
  @Test
  void aManifestThatDoesNotParseIsDamageThatCleanUpKeeps() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Shards.commit(store, 2, THREE_RANKS);
    byte[] whole = damage.bytes(manifest(2));
    damage.replace(manifest(2), java.util.Arrays.copyOf(whole, whole.length / 2));

    assertThat(store.committedSteps()).containsExactly(1L);
    assertThat(store.committedOrDamagedSteps()).containsExactly(1L, 2L);
    assertThat(store.cleanUncommitted()).isZero();
    assertThat(fs.exists(manifest(2))).as("the damaged manifest, kept").isTrue();
    CheckpointCorruptException e = corrupt(() -> store.open(2));
    assertThat(e.file()).isEqualTo(manifest(2).toString());
    assertThat(e).hasMessageContaining("does not parse as a manifest");
  }

  @Test
  void manifestListingAShardOfAnotherAttemptIsRefused() throws Exception {
    Shards.commit(store, 1, THREE_RANKS);
    Shards.commit(store, 2, THREE_RANKS);
    // Same rank, range and length, but written for step 2: its meta, so its header CRC, differ.
    damage.replace(shard(1, 0), damage.bytes(shard(2, 0)));

    try (Checkpoint checkpoint = store.open(1)) {
      CheckpointCorruptException e = corrupt(checkpoint::verify);
      assertThat(e.file()).isEqualTo(shard(1, 0).toString());
      assertThat(e).hasMessageContaining("the manifest lists a shard whose header disagrees");
    }
  }
}
