package io.sparkzero.worker.optim;

/**
 * Where a rank's optimizer state lives: {@link #slots()} arrays (one per state variable, e.g.
 * Adam's m and v) of {@link #length()} floats, element 0 being the first element of the rank's
 * region. A tier is chosen once when the rank starts ({@code offload.optimizer}); the step code
 * only ever sees windows of plain arrays.
 *
 * <p>The optimizer step is one pass in increasing element order: {@link #beginPass}, then {@link
 * #window} for consecutive chunks, then {@link #endPass}, after which every change is stored. Not
 * thread-safe: the training thread drives it (a tier may run its own I/O thread underneath).
 */
public interface OptimizerState extends AutoCloseable {

  /** State arrays per element. */
  int slots();

  /** Elements per slot: the region's length. */
  int length();

  /** Bytes this state keeps in the rank's memory (heap, or off-heap for the host tier). */
  long memoryBytes();

  /** What the passes so far moved to and from the state's tier. */
  default StateTraffic traffic() {
    return StateTraffic.NONE;
  }

  /** Starts a pass over the elements in increasing order. */
  void beginPass();

  /**
   * The arrays that hold elements {@code [element, element + count)} of every slot during the
   * pass, valid until the next call; changes made through them are stored by the pass.
   *
   * @param element the chunk's first element: 0 or the end of the previous chunk
   * @param count at most {@link ShardStepper#CHUNK_FLOATS}
   */
  Window window(int element, int count);

  /** Ends the pass: when it returns, every change is stored. */
  void endPass();

  /** Copies elements {@code [from, from + count)} of slot {@code slot} into {@code dst}. */
  void read(int slot, int from, float[] dst, int dstOffset, int count);

  /** Overwrites elements {@code [from, from + count)} of slot {@code slot} from {@code src}. */
  void write(int slot, int from, float[] src, int srcOffset, int count);

  /** Frees the state's memory and files. */
  @Override
  void close();

  /** Arrays and the index in them of a window's first element. */
  final class Window {
    private float[][] arrays;
    private int index;

    /** Points the window at {@code arrays}, its first element at {@code index}; returns it. */
    public Window point(float[][] arrays, int index) {
      this.arrays = arrays;
      this.index = index;
      return this;
    }

    public float[][] arrays() {
      return arrays;
    }

    public int index() {
      return index;
    }
  }
}
