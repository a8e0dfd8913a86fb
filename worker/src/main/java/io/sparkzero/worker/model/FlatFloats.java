package io.sparkzero.worker.model;

import io.sparkzero.sharding.collective.FloatBlock;
import io.sparkzero.sharding.collective.HalfBlock;
import io.sparkzero.sharding.collective.Wire;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Bulk copies between a flat ND4J vector and a Java {@code float[]}, which the collectives use.
 *
 * <p>For a contiguous FLOAT vector the copy is one {@link FloatBuffer#get}/{@link FloatBuffer#put}
 * on the off-heap buffer, seen through {@code data().asNio()} in native byte order (ND4J's CPU
 * buffers are native-endian) and positioned at the vector's offset in its buffer: no per-element
 * JNI calls and no temporary arrays. {@code asNio()} views the whole buffer as one ByteBuffer,
 * hence the limit of {@link #MAX_FAST_ELEMENTS} floats per buffer. Other data types go through a
 * temporary cast instead (correct, slower, allocates).
 */
public final class FlatFloats {

  /** Largest buffer, in floats, that one NIO view can address. */
  public static final long MAX_FAST_ELEMENTS = Integer.MAX_VALUE / Float.BYTES;

  private FlatFloats() {}

  /** Copies all of {@code flat} into {@code dst[0 .. flat.length())}. */
  public static void copyTo(INDArray flat, float[] dst) {
    checkLength(flat, dst.length);
    if (fastPath(flat)) {
      view(flat).get(dst, 0, (int) flat.length());
    } else {
      float[] copy = flat.castTo(DataType.FLOAT).reshape(flat.length()).toFloatVector();
      System.arraycopy(copy, 0, dst, 0, copy.length);
    }
  }

  /** Overwrites all of {@code flat} with {@code src[0 .. flat.length())}. */
  public static void copyFrom(float[] src, INDArray flat) {
    checkLength(flat, src.length);
    if (fastPath(flat)) {
      view(flat).put(src, 0, (int) flat.length());
    } else {
      flat.assign(Nd4j.createFromArray(src).reshape(flat.shape()));
    }
  }

  /**
   * The native memory of a contiguous FLOAT vector as a {@link FloatBlock}, so collectives and the
   * optimizer work on DL4J's own buffers in place. The block keeps {@code flat} reachable; it is
   * valid as long as the array is not closed.
   *
   * @throws IllegalArgumentException for another data type, a strided view or more than
   *     {@code Integer.MAX_VALUE} elements
   */
  public static FloatBlock block(INDArray flat) {
    if (flat.dataType() != DataType.FLOAT || (flat.length() > 1 && flat.elementWiseStride() != 1)
        || flat.length() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a native float block needs a contiguous FLOAT vector of"
          + " at most 2^31-1 elements, got " + flat.dataType() + " of " + flat.length()
          + " elements with element-wise stride " + flat.elementWiseStride());
    }
    long address = flat.data().address() + flat.offset() * Float.BYTES;
    return FloatBlock.ofAddress(address, (int) flat.length(), flat);
  }

  /**
   * The native memory of a contiguous HALF vector as a {@link HalfBlock} of fp16 values, so
   * collectives move a 16-bit network's buffers in place. Valid as long as the array is not closed.
   *
   * @throws IllegalArgumentException for another data type, a strided view or more than
   *     {@code Integer.MAX_VALUE} elements
   */
  public static HalfBlock halfBlock(INDArray flat) {
    if (flat.dataType() != DataType.HALF || (flat.length() > 1 && flat.elementWiseStride() != 1)
        || flat.length() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a native half block needs a contiguous HALF vector of"
          + " at most 2^31-1 elements, got " + flat.dataType() + " of " + flat.length()
          + " elements with element-wise stride " + flat.elementWiseStride());
    }
    long address = flat.data().address() + flat.offset() * 2;
    return HalfBlock.ofAddress(address, (int) flat.length(), Wire.FP16, flat);
  }

  private static boolean fastPath(INDArray flat) {
    return flat.dataType() == DataType.FLOAT
        && flat.elementWiseStride() == 1
        && Math.max(flat.data().length(), flat.data().underlyingLength()) <= MAX_FAST_ELEMENTS;
  }

  private static FloatBuffer view(INDArray flat) {
    FloatBuffer buffer = flat.data().asNio().order(ByteOrder.nativeOrder()).asFloatBuffer();
    buffer.position(Math.toIntExact(flat.offset()));
    return buffer;
  }

  private static void checkLength(INDArray flat, int arrayLength) {
    if (arrayLength != flat.length()) {
      throw new IllegalArgumentException(
          "float[] of length " + arrayLength + " does not match " + flat.length() + " parameters");
    }
  }
}
