package io.sparkzero.sharding.plan;

/**
 * One named tensor of the model, as a slice of the flat parameter vector.
 *
 * @param name the tensor's name, e.g. DL4J's {@code "3_W"} (layer prefix, underscore, parameter)
 * @param layer 0-based index of the layer owning the tensor; a layer's tensors are contiguous
 * @param offset first element of the tensor in the flat vector
 * @param length number of elements, at least 1
 */
public record TensorSpan(String name, int layer, int offset, int length) {

  public TensorSpan {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("tensor at offset " + offset + " has no name");
    }
    if (layer < 0) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' has layer " + layer + ": layer indices start at 0");
    }
    if (offset < 0 || length < 1 || (long) offset + length > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "tensor '" + name + "' at offset " + offset + " with length " + length
              + " is invalid: expected offset >= 0, length >= 1 and an end within int range");
    }
  }

  /** One past the tensor's last element. */
  public int end() {
    return offset + length;
  }

  /** The tensor's elements as a range of the flat vector. */
  public Range range() {
    return new Range(offset, end());
  }
}
