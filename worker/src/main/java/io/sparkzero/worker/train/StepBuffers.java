package io.sparkzero.worker.train;

import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The native buffers a ZeRO stage-2/3 step allocates for layers in flight (gathered parameters,
 * layer gradients), each exactly one layer long and freed as soon as it is done with, and the
 * gauge of their bytes: current and peak, read by {@link ModelStateBytes} so the planner's
 * buffer prediction is checked against what a run really held. Allocation and release may happen
 * on the training thread and on the {@link CommAgent}.
 */
final class StepBuffers {
  /** What a buffer holds. */
  enum Kind {
    PARAMS,
    GRADIENTS
  }

  private final AtomicLong currentBytes = new AtomicLong();
  private final AtomicLong peakBytes = new AtomicLong();
  private final AtomicLong currentParamBytes = new AtomicLong();
  private final AtomicLong peakParamBytes = new AtomicLong();

  /** A native float buffer of {@code length} elements, contents undefined. */
  INDArray allocate(int length, Kind kind) {
    INDArray buffer = Nd4j.createUninitialized(DataType.FLOAT, Math.max(1, length));
    long bytes = buffer.length() * Float.BYTES;
    peakBytes.accumulateAndGet(currentBytes.addAndGet(bytes), Math::max);
    if (kind == Kind.PARAMS) {
      peakParamBytes.accumulateAndGet(currentParamBytes.addAndGet(bytes), Math::max);
    }
    return buffer;
  }

  /** Frees {@code buffer} (from {@link #allocate}) now, not at the next garbage collection. */
  void free(INDArray buffer, Kind kind) {
    long bytes = buffer.length() * Float.BYTES;
    currentBytes.addAndGet(-bytes);
    if (kind == Kind.PARAMS) {
      currentParamBytes.addAndGet(-bytes);
    }
    buffer.close();
  }

  /** The most bytes of gathered parameters held at once since this gauge was created. */
  long peakParamBytes() {
    return peakParamBytes.get();
  }

  /** Bytes allocated and not yet freed. */
  long currentBytes() {
    return currentBytes.get();
  }

  /** The most bytes held at once since this gauge was created. */
  long peakBytes() {
    return peakBytes.get();
  }
}
