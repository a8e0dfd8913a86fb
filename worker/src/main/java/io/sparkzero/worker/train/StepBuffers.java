package io.sparkzero.worker.train;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native buffers a ZeRO stage-2/3 step uses for layers in flight (gathered parameters, layer
 * gradients), each exactly one layer long, and the gauge of their bytes, read by
 * {@link ModelStateBytes} so the planner's buffer prediction is checked against what a run held.
 *
 * <p>A released buffer goes back to a pool keyed by length rather than to the system: allocating
 * tens of megabytes afresh every step costs a page fault per 4 KiB touched, measured at 15% of a
 * {@code wide-mlp} backward. The pool is bounded by {@code budgetBytes}, the planner's peak for
 * the step's buffers: buffers in use plus idle ones never exceed it unless the step itself needs
 * more at once (then idle ones are freed first), so pooling never raises the peak, it only keeps
 * it allocated between steps. Called from the training thread and the {@link CommAgent}.
 */
final class StepBuffers {
  /** What a buffer holds. */
  enum Kind {
    PARAMS,
    GRADIENTS
  }

  private final long budgetBytes;
  private final Map<Long, ArrayDeque<INDArray>> idle = new HashMap<>();
  private long idleBytes;
  private long inUseBytes;
  private long peakBytes;
  private long inUseParamBytes;
  private long peakParamBytes;

  /** @param budgetBytes the most bytes of buffers (in use plus idle) worth keeping */
  StepBuffers(long budgetBytes) {
    this.budgetBytes = budgetBytes;
  }

  /** A native float buffer of {@code length} elements, contents undefined. */
  synchronized INDArray allocate(int length, Kind kind) {
    long elements = Math.max(1, length);
    long bytes = elements * Float.BYTES;
    ArrayDeque<INDArray> same = idle.get(elements);
    INDArray buffer = same == null ? null : same.poll();
    if (buffer != null) {
      idleBytes -= bytes;
    } else {
      evictIdle(bytes);
      buffer = Nd4j.createUninitialized(DataType.FLOAT, elements);
    }
    inUseBytes += bytes;
    peakBytes = Math.max(peakBytes, inUseBytes);
    if (kind == Kind.PARAMS) {
      inUseParamBytes += bytes;
      peakParamBytes = Math.max(peakParamBytes, inUseParamBytes);
    }
    return buffer;
  }

  /** Returns {@code buffer} (from {@link #allocate}) to the pool, or frees it past the budget. */
  synchronized void free(INDArray buffer, Kind kind) {
    long bytes = buffer.length() * Float.BYTES;
    inUseBytes -= bytes;
    if (kind == Kind.PARAMS) {
      inUseParamBytes -= bytes;
    }
    if (inUseBytes + idleBytes + bytes <= budgetBytes) {
      idle.computeIfAbsent(buffer.length(), k -> new ArrayDeque<>()).add(buffer);
      idleBytes += bytes;
    } else {
      buffer.close();
    }
  }

  /** Frees idle buffers until {@code bytes} more fit the budget (or none is left idle). */
  private void evictIdle(long bytes) {
    var lengths = idle.entrySet().iterator();
    while (inUseBytes + idleBytes + bytes > budgetBytes && lengths.hasNext()) {
      ArrayDeque<INDArray> queue = lengths.next().getValue();
      while (!queue.isEmpty() && inUseBytes + idleBytes + bytes > budgetBytes) {
        INDArray victim = queue.poll();
        idleBytes -= victim.length() * Float.BYTES;
        victim.close();
      }
    }
  }

  /** The most bytes in use at once since this gauge was created. */
  synchronized long peakBytes() {
    return peakBytes;
  }

  /** The most bytes of gathered parameters in use at once since this gauge was created. */
  synchronized long peakParamBytes() {
    return peakParamBytes;
  }

  /** Bytes held now, in use or idle in the pool. */
  synchronized long heldBytes() {
    return inUseBytes + idleBytes;
  }
}
