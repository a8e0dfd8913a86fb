package io.sparkzero.checkpoint;

/**
 * Where everything sits in one shard file, computed from its header alone, so a reader seeks
 * straight to any block: array {@code i}'s block {@code k} starts at {@code dataOffsetBytes + i *
 * arrayBytes() + k * (blockFloats * 4 + 4)}.
 *
 * @param dataOffsetBytes length of the header, CRC included: where the first block starts
 * @param arrayCount arrays in the shard
 * @param elements elements per array ({@code to - from})
 * @param blockFloats floats per full block; the last block of each array may be shorter
 */
record ShardLayout(long dataOffsetBytes, int arrayCount, long elements, int blockFloats) {

  /** Blocks per array; 0 for an empty shard. */
  long blocksPerArray() {
    return (elements + blockFloats - 1) / blockFloats;
  }

  /** Bytes from one block's start to the next one's. */
  long blockStrideBytes() {
    return (long) blockFloats * Float.BYTES + ShardFormat.CRC_BYTES;
  }

  /** Bytes of one array: its floats and one CRC per block. */
  long arrayBytes() {
    return elements * Float.BYTES + blocksPerArray() * ShardFormat.CRC_BYTES;
  }

  /** Offset of block {@code block} of array {@code array}. */
  long blockOffset(int array, long block) {
    return dataOffsetBytes + array * arrayBytes() + block * blockStrideBytes();
  }

  /** Floats in block {@code block} of each array. */
  int blockLength(long block) {
    return (int) Math.min(blockFloats, elements - block * blockFloats);
  }

  /** Offset of the trailer. */
  long trailerOffset() {
    return dataOffsetBytes + arrayCount * arrayBytes();
  }

  /** Length of the whole file. */
  long totalBytes() {
    return trailerOffset() + ShardFormat.TRAILER_BYTES;
  }
}
