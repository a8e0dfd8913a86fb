package io.sparkzero.bench.offload;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockIoTest {
  private static final int BLOCK_BYTES = 2 * OffloadIoBenchmark.ALIGN_BYTES;
  private static final int BLOCKS = 5;

  @TempDir Path dir;

  private final ByteBuffer buffer = ByteBuffer.allocateDirect(BLOCK_BYTES
      + OffloadIoBenchmark.ALIGN_BYTES).alignedSlice(OffloadIoBenchmark.ALIGN_BYTES);

  @Test
  void everyMethodReadsBackWhatAnotherWroteAtTheSameBlock() throws IOException {
    Path file = Files.write(dir.resolve("blocks"), new byte[BLOCKS * BLOCK_BYTES]);
    // Regions of two blocks: the last region is short and blocks 2 and 4 start a region.
    List<BlockIo> methods = new ArrayList<>(List.of(
        ChannelBlockIo.open(file, BLOCK_BYTES, false),
        MappedBlockIo.open(file, BLOCK_BYTES, 2L * BLOCK_BYTES + 1)));
    try {
      methods.add(ChannelBlockIo.open(file, BLOCK_BYTES, true));
    } catch (IOException | UnsupportedOperationException e) {
      // the temporary directory's file system refuses O_DIRECT (tmpfs): test the other two
    }
    for (int writer = 0; writer < methods.size(); writer++) {
      for (int block = 0; block < BLOCKS; block++) {
        fill(block + 10 * writer);
        methods.get(writer).write(block, buffer);
      }
      methods.get(writer).force();
      for (BlockIo reader : methods) {
        for (int block = BLOCKS - 1; block >= 0; block--) {
          fill(-1);
          reader.read(block, buffer);
          assertThat(buffer.get(0)).isEqualTo((byte) (block + 10 * writer));
          assertThat(buffer.get(BLOCK_BYTES - 1)).isEqualTo((byte) (block + 10 * writer));
        }
      }
    }
    for (BlockIo method : methods) {
      method.close();
    }
    assertThat(Files.size(file)).as("no method grows the file").isEqualTo(BLOCKS * BLOCK_BYTES);
  }

  private void fill(int value) {
    for (int i = 0; i < BLOCK_BYTES; i++) {
      buffer.put(i, (byte) value);
    }
  }
}
