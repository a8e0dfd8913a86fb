package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On {@code file://} the store writes through the raw local file system (no .crc side files of
 * Hadoop's own): damage made behind its back (bit rot) is caught by the shards' CRC32C and reported
 * as a corrupt shard naming the file, while the intact blocks still read.
 */
class LocalBitRotTest {

  @TempDir
  Path dir;

  @Test
  void byteChangedBehindTheFileSystemsBackIsACorruptShard() throws Exception {
    CheckpointStore store = CheckpointStore.open(dir.toUri().toString(), new Configuration(),
        CheckpointOptions.withBlockFloats(4));
    Shards.commit(store, 1, 0, 6, 11);
    Path shard = dir.resolve("step-000000000001").resolve(StepPaths.shardName(1));
    byte[] bytes = Files.readAllBytes(shard);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(shard, bytes);

    try (Checkpoint checkpoint = store.open(1)) {
      Throwable thrown = catchThrowable(checkpoint::verify);
      assertThat(thrown).isInstanceOf(CheckpointCorruptException.class)
          .hasMessageContaining(shard.getFileName().toString());
      assertThat(Shards.read(checkpoint, "params", 0, 6))
          .containsExactly(Shards.expected(1, 0, 0, 6));
    }
  }
}
