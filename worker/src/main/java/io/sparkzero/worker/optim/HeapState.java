package io.sparkzero.worker.optim;

/**
 * Optimizer state as plain arrays on the Java heap ({@code offload.optimizer: none}): a window is
 * the arrays themselves, so the pass copies nothing.
 */
public final class HeapState implements OptimizerState {
  private final float[][] arrays;
  private final Window window = new Window();

  /** Zeroed state of {@code slots} arrays of {@code length} floats. */
  public HeapState(int slots, int length) {
    this.arrays = new float[slots][length];
  }

  @Override
  public int slots() {
    return arrays.length;
  }

  @Override
  public int length() {
    return arrays.length == 0 ? 0 : arrays[0].length;
  }

  @Override
  public long memoryBytes() {
    return (long) arrays.length * length() * Float.BYTES;
  }

  @Override
  public void beginPass() {}

  @Override
  public Window window(int element, int count) {
    return window.point(arrays, element);
  }

  @Override
  public void endPass() {}

  @Override
  public void read(int slot, int from, float[] dst, int dstOffset, int count) {
    System.arraycopy(arrays[slot], from, dst, dstOffset, count);
  }

  @Override
  public void write(int slot, int from, float[] src, int srcOffset, int count) {
    System.arraycopy(src, srcOffset, arrays[slot], from, count);
  }

  @Override
  public void close() {}
}
