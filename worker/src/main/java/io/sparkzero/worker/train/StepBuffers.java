package io.sparkzero.worker.train;

import io.sparkzero.sharding.plan.BufferLayout;
import io.sparkzero.sharding.plan.LayerSchedule;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The native memory a ZeRO stage-2/3 step uses for layers in flight (gathered parameters, layer
 * gradients): one slab, set aside when the rank starts, in which each buffer of the step sits at
 * the offset its {@link BufferLayout} planned. A step takes the same buffers in the same order
 * every time ({@link LayerSchedule}), so after the first step nothing is allocated and no page is
 * faulted in: allocating tens of megabytes afresh per layer and step was measured at a quarter of
 * a {@code wide-mlp} step. The slab is exactly what the memory planner predicts for the buffers.
 *
 * <p>A request the layout does not hold (another order of layers than planned) or whose planned
 * elements are still in use gets a buffer of its own, allocated and freed like before, and is
 * counted: {@link #heldPeakBytes()} then exceeds the slab and the planner's prediction, which the
 * run's report shows. Called from the training thread and the {@link CommAgent}.
 */
final class StepBuffers {

  /** A buffer taken for one layer in one step. */
  static final class Lease {
    private final LayerSchedule.Kind kind;
    private final long from;
    private final long length;
    private final INDArray array;
    private final boolean inSlab;

    private Lease(LayerSchedule.Kind kind, long from, long length, INDArray array, boolean inSlab) {
      this.kind = kind;
      this.from = from;
      this.length = length;
      this.array = array;
      this.inSlab = inSlab;
    }

    /** The buffer: a rank-1 FLOAT vector of the layer's length. */
    INDArray array() {
      return array;
    }

    private boolean overlaps(long otherFrom, long otherLength) {
      return inSlab && from < otherFrom + otherLength && otherFrom < from + length;
    }
  }

  private final BufferLayout layout;
  private final INDArray slab;
  private final int[] occurrences;
  private final List<Lease> live = new ArrayList<>();
  private long inUseBytes;
  private long peakBytes;
  private long inUseParamBytes;
  private long peakParamBytes;
  private long overflowBytes;
  private long peakOverflowBytes;
  private long overflowCount;

  /** Sets aside the slab of {@code layout}, for a model of {@code layers} parameterized layers. */
  StepBuffers(BufferLayout layout, int layers) {
    this.layout = layout;
    this.slab = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, layout.slabElements()));
    this.occurrences = new int[2 * layers];
  }

  /** Starts a step: the next request for each layer and kind is its first of the step. */
  synchronized void beginStep() {
    if (!live.isEmpty()) {
      throw new IllegalStateException(live.size() + " step buffers still in use at a new step");
    }
    java.util.Arrays.fill(occurrences, 0);
  }

  /** A buffer of {@code length} floats for {@code layer}, contents undefined. */
  synchronized Lease take(LayerSchedule.Kind kind, int layer, int length) {
    int occurrence = occurrences[2 * layer + kind.ordinal()]++;
    long from = layout.offset(kind, layer, occurrence);
    Lease lease;
    if (from >= 0 && isFree(from, length)) {
      INDArray view = slab.get(NDArrayIndex.interval(from, from + length));
      lease = new Lease(kind, from, length, view, true);
    } else {
      INDArray own;
      try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        own = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, length)); // outlives the pass
      }
      lease = new Lease(kind, -1, length, own, false);
      overflowCount++;
      overflowBytes += own.length() * Float.BYTES;
      peakOverflowBytes = Math.max(peakOverflowBytes, overflowBytes);
    }
    live.add(lease);
    long bytes = (long) length * Float.BYTES;
    inUseBytes += bytes;
    peakBytes = Math.max(peakBytes, inUseBytes);
    if (kind == LayerSchedule.Kind.PARAMS) {
      inUseParamBytes += bytes;
      peakParamBytes = Math.max(peakParamBytes, inUseParamBytes);
    }
    return lease;
  }

  /** Gives {@code lease} back; its elements may then hold another layer's buffer. */
  synchronized void free(Lease lease) {
    if (!live.remove(lease)) {
      throw new IllegalStateException("step buffer freed twice");
    }
    long bytes = lease.length * Float.BYTES;
    inUseBytes -= bytes;
    if (lease.kind == LayerSchedule.Kind.PARAMS) {
      inUseParamBytes -= bytes;
    }
    if (!lease.inSlab) {
      overflowBytes -= lease.array.length() * Float.BYTES;
      lease.array.close();
    }
  }

  private boolean isFree(long from, long length) {
    for (Lease lease : live) {
      if (lease.overlaps(from, length)) {
        return false;
      }
    }
    return true;
  }

  /** The most bytes in use at once since this gauge was created. */
  synchronized long peakBytes() {
    return peakBytes;
  }

  /** The most bytes of gathered parameters in use at once since this gauge was created. */
  synchronized long peakParamBytes() {
    return peakParamBytes;
  }

  /** The slab plus the most bytes of buffers outside it held at once. */
  synchronized long heldPeakBytes() {
    return slab.length() * Float.BYTES + peakOverflowBytes;
  }

  /** How many requests did not fit the planned layout. */
  synchronized long overflowCount() {
    return overflowCount;
  }
}
