package io.sparkzero.worker.train;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.plan.BufferLayout;
import io.sparkzero.sharding.plan.LayerSchedule;
import io.sparkzero.worker.model.FlatFloats;
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
 *
 * <p>With 16-bit compute the buffers are 16-bit, and so is the slab: the collectives move them as
 * they are and sum them in fp32 a chunk at a time ({@link HalfBlock}), so no buffer has an fp32
 * twin.
 */
final class StepBuffers {

  /** A buffer taken for one layer in one step. */
  static final class Lease {
    private final LayerSchedule.Kind kind;
    private final long from;
    private final long length;
    private final INDArray array;
    private final boolean inSlab;

    private Lease(LayerSchedule.Kind kind, long from, long length, INDArray array,
        boolean inSlab) {
      this.kind = kind;
      this.from = from;
      this.length = length;
      this.array = array;
      this.inSlab = inSlab;
    }

    /** The buffer the layer computes with: a rank-1 vector of the layer's length. */
    INDArray array() {
      return array;
    }

    /** Whether the layer computes in 16 bits: then {@link #halves()}, else {@link #floats()}. */
    boolean half() {
      return array.dataType() == DataType.HALF;
    }

    /** The buffer's memory as the collectives see it, with fp32 compute. */
    FloatBlock floats() {
      return FlatFloats.block(array);
    }

    /** The buffer's memory as the collectives see it, with 16-bit compute. */
    HalfBlock halves() {
      return FlatFloats.halfBlock(array);
    }

    private boolean overlaps(long otherFrom, long otherLength) {
      return inSlab && from < otherFrom + otherLength && otherFrom < from + length;
    }
  }

  private final BufferLayout layout;
  private final DataType dataType;
  private final long elementBytes; // per buffer element: the compute type's
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

  /** Sets aside the slab of {@code layout}, for a model of {@code layers} fp32 layers. */
  StepBuffers(BufferLayout layout, int layers) {
    this(layout, layers, DataType.FLOAT);
  }

  /**
   * Sets aside the slab of {@code layout}, for a model of {@code layers} parameterized layers
   * computing in {@code dataType} (FLOAT or HALF).
   */
  StepBuffers(BufferLayout layout, int layers, DataType dataType) {
    this.layout = layout;
    this.dataType = dataType;
    long slabElements = Math.max(1, layout.slabElements());
    this.slab = Nd4j.createUninitialized(dataType, slabElements);
    this.elementBytes = dataType.width();
    this.occurrences = new int[2 * layers];
  }

  /** Starts a step: the next request for each layer and kind is its first of the step. */
  synchronized void beginStep() {
    if (!live.isEmpty()) {
      throw new IllegalStateException(live.size() + " step buffers still in use at a new step");
    }
    java.util.Arrays.fill(occurrences, 0);
  }

  /** A buffer of {@code length} elements for {@code layer}, contents undefined. */
  synchronized Lease take(LayerSchedule.Kind kind, int layer, int length) {
    int occurrence = occurrences[2 * layer + kind.ordinal()]++;
    long from = layout.offset(kind, layer, occurrence);
    Lease lease = from >= 0 && isFree(from, length) ? inSlab(kind, from, length) : null;
    if (lease == null) {
      INDArray own;
      try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
        own = Nd4j.createUninitialized(dataType, Math.max(1, length)); // outlives the pass
      }
      lease = new Lease(kind, -1, length, own, false);
      overflowCount++;
      overflowBytes += own.length() * elementBytes;
      peakOverflowBytes = Math.max(peakOverflowBytes, overflowBytes);
    }
    return hold(lease);
  }

  private Lease inSlab(LayerSchedule.Kind kind, long from, long length) {
    INDArray view = slab.get(NDArrayIndex.interval(from, from + length));
    return new Lease(kind, from, length, view, true);
  }

  private Lease hold(Lease lease) {
    long length = lease.length;
    live.add(lease);
    long bytes = length * elementBytes;
    inUseBytes += bytes;
    peakBytes = Math.max(peakBytes, inUseBytes);
    if (lease.kind == LayerSchedule.Kind.PARAMS) {
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
    long bytes = lease.length * elementBytes;
    inUseBytes -= bytes;
    if (lease.kind == LayerSchedule.Kind.PARAMS) {
      inUseParamBytes -= bytes;
    }
    if (!lease.inSlab) {
      overflowBytes -= lease.array.length() * elementBytes;
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
    return slab.length() * elementBytes + peakOverflowBytes;
  }

  /** How many requests did not fit the planned layout. */
  synchronized long overflowCount() {
    return overflowCount;
  }
}
