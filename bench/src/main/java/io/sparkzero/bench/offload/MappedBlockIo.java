package io.sparkzero.bench.offload;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Blocks copied between a direct buffer and the file mapped {@code READ_WRITE}, in regions of at
 * most {@link #MAX_REGION_BYTES} (one {@link MappedByteBuffer} cannot exceed 2 GiB), each a whole
 * number of blocks. The regions are mapped when opened and unmapped on {@link #close}.
 */
final class MappedBlockIo implements BlockIo {
  /** Largest region mapped as one buffer. */
  static final long MAX_REGION_BYTES = 1L << 30;

  /**
   * {@code sun.misc.Unsafe.invokeCleaner}, which unmaps a buffer now. Java otherwise unmaps only
   * when the GC collects the buffer, and the kernel's page-cache drop skips pages that are still
   * mapped: the next timed read would then be served from memory.
   */
  private static final MethodHandle UNMAP = unmapHandle();

  private final MappedByteBuffer[] regions;
  private final int blocksPerRegion;
  private final int blockBytes;

  private MappedBlockIo(MappedByteBuffer[] regions, int blocksPerRegion, int blockBytes) {
    this.regions = regions;
    this.blocksPerRegion = blocksPerRegion;
    this.blockBytes = blockBytes;
  }

  /** Maps all of {@code file} in regions of at most {@code maxRegionBytes}. */
  static MappedBlockIo open(Path file, int blockBytes, long maxRegionBytes) throws IOException {
    // A mapping stays valid after its channel is closed.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      long fileBytes = channel.size();
      int blocksPerRegion = (int) Math.max(1, maxRegionBytes / blockBytes);
      long regionBytes = (long) blocksPerRegion * blockBytes;
      MappedByteBuffer[] regions = new MappedByteBuffer[(int) ((fileBytes + regionBytes - 1)
          / regionBytes)];
      for (int r = 0; r < regions.length; r++) {
        long start = r * regionBytes;
        regions[r] = channel.map(FileChannel.MapMode.READ_WRITE, start,
            Math.min(regionBytes, fileBytes - start));
      }
      return new MappedBlockIo(regions, blocksPerRegion, blockBytes);
    } catch (IOException e) {
      throw new IOException("mapping " + file + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void read(int block, ByteBuffer to) {
    to.clear().put(0, regions[block / blocksPerRegion], offset(block), blockBytes);
  }

  @Override
  public void write(int block, ByteBuffer from) {
    regions[block / blocksPerRegion].put(offset(block), from, 0, blockBytes);
  }

  private int offset(int block) {
    return (block % blocksPerRegion) * blockBytes;
  }

  @Override
  public void force() {
    for (MappedByteBuffer region : regions) {
      region.force(); // msync(MS_SYNC) of the region
    }
  }

  @Override
  public void close() {
    for (int r = 0; r < regions.length; r++) {
      try {
        UNMAP.invokeExact((ByteBuffer) regions[r]);
      } catch (Throwable e) {
        throw new IllegalStateException("unmapping region " + r + " failed: " + e, e);
      }
      regions[r] = null; // touching an unmapped buffer would crash the JVM
    }
  }

  private static MethodHandle unmapHandle() {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true); // module jdk.unsupported opens sun.misc for this
      return MethodHandles.lookup()
          .findVirtual(unsafeClass, "invokeCleaner",
              MethodType.methodType(void.class, ByteBuffer.class))
          .bindTo(theUnsafe.get(null));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
