package io.sparkzero.worker.train;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Bulk copies between ND4J's off-heap flat vectors and Java float arrays. The collectives and the
 * shard optimizers work on float arrays (loops the JIT vectorizes); ND4J keeps its vectors off-heap.
 * A copy is one memcpy through an NIO view, never a per-element loop.
 */
public final class FlatCopy {
  private FlatCopy() {}

  /** Copies {@code src} (a contiguous float vector) into {@code dst[0, length)}. */
  public static void toArray(INDArray src, float[] dst) {
    view(src).get(dst, 0, (int) src.length());
  }

  /** Copies {@code src[0, length)} into the contiguous float vector {@code dst}. */
  public static void fromArray(float[] src, INDArray dst) {
    view(dst).put(src, 0, (int) dst.length());
  }

  private static FloatBuffer view(INDArray array) {
    if (array.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("expected a FLOAT vector, got " + array.dataType());
    }
    if (array.ordering() != 'c' && array.rank() > 1 && array.size(0) != 1) {
      throw new IllegalArgumentException("expected a contiguous row vector, got shape "
          + java.util.Arrays.toString(array.shape()));
    }
    FloatBuffer all = array.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    all.position((int) array.offset());
    return all.slice();
  }
}
