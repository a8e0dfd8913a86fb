package io.sparkzero.sharding.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who owns which slice of the flat parameter vector: the shards of {@code worldSize} ranks, the
 * layers and tensors that tile the vector, and the gradient buckets of the backward pass. Immutable
 * and a pure function of its inputs, so every rank computes the same plan on its own. The package
 * documentation explains the choices.
 */
public final class PartitionPlan {
  private final int numParams;
  private final int worldSize;
  private final PartitionOptions options;
  private final List<TensorSpan> tensors;
  private final int[] bounds;
  private final Range[] layers;
  private final List<Range> buckets;

  private PartitionPlan(
      int numParams,
      int worldSize,
      PartitionOptions options,
      List<TensorSpan> tensors,
      Range[] layers) {
    this.numParams = numParams;
    this.worldSize = worldSize;
    this.options = options;
    this.tensors = tensors;
    this.layers = layers;
    this.bounds = alignedBounds(numParams, worldSize, options.alignElements());
    this.buckets = Buckets.backward(layers, options.bucketElements());
  }

  /**
   * Plans {@code worldSize} shards of a vector of {@code numParams} elements tiled by {@code
   * tensors}.
   *
   * @throws IllegalArgumentException naming the tensor or value at fault when the tensors leave a
   *     gap, overlap, do not end at {@code numParams}, or their layer indices do not start at 0 and
   *     grow by 0 or 1; or when {@code worldSize < 1}
   */
  public static PartitionPlan create(
      int numParams, List<TensorSpan> tensors, int worldSize, PartitionOptions options) {
    Objects.requireNonNull(options, "options");
    if (worldSize < 1) {
      throw new IllegalArgumentException("worldSize must be >= 1, got " + worldSize);
    }
    Range[] layers = TensorTiling.layers(numParams, tensors);
    return new PartitionPlan(numParams, worldSize, options, List.copyOf(tensors), layers);
  }

  /**
   * Cuts {@code [0, numParams)} into {@code B = ceil(numParams / align)} blocks and gives rank
   * {@code r} blocks {@code [floor(B*r/N), floor(B*(r+1)/N))}.
   */
  private static int[] alignedBounds(int numParams, int worldSize, int align) {
    long blocks = ((long) numParams + align - 1) / align;
    int[] b = new int[worldSize + 1];
    for (int r = 0; r <= worldSize; r++) {
      b[r] = (int) Math.min(numParams, blocks * r / worldSize * align);
    }
    return b;
  }

  public int worldSize() {
    return worldSize;
  }

  public int numParams() {
    return numParams;
  }

  public PartitionOptions options() {
    return options;
  }

  /** Rank {@code rank}'s shard; empty for some ranks when there are fewer blocks than ranks. */
  public Range shard(int rank) {
    checkIndex("rank", rank, worldSize);
    return new Range(bounds[rank], bounds[rank + 1]);
  }

  /** A copy of the {@code worldSize + 1} shard boundaries: rank r owns {@code [b[r], b[r+1])}. */
  public int[] shardBounds() {
    return bounds.clone();
  }

  public int maxShardLength() {
    int max = 0;
    for (int r = 0; r < worldSize; r++) {
      max = Math.max(max, bounds[r + 1] - bounds[r]);
    }
    return max;
  }

  /**
   * Shard boundaries for a buffer that holds only {@code range} of the vector: {@code N + 1}
   * offsets relative to {@code range.from()}, rank r owning {@code [b[r], b[r+1])} of the buffer
   * (empty when its shard misses the range). This is what a collective over a bucket takes.
   */
  public int[] boundsWithin(Range range) {
    if (range.to() > numParams) {
      throw new IllegalArgumentException(
          "range " + range + " reaches past the end of the " + numParams + "-element vector");
    }
    int[] within = new int[worldSize + 1];
    for (int r = 0; r <= worldSize; r++) {
      within[r] = Math.min(Math.max(bounds[r], range.from()), range.to()) - range.from();
    }
    return within;
  }

  public int layerCount() {
    return layers.length;
  }

  /** The elements of layer {@code i}'s tensors. */
  public Range layer(int i) {
    checkIndex("layer", i, layers.length);
    return layers[i];
  }

  /**
   * Layer {@code i}'s name: its first tensor's name up to the last underscore ({@code "3_W"} gives
   * {@code "3"}), or the whole name when it has no underscore after its first character.
   */
  public String layerName(int i) {
    checkIndex("layer", i, layers.length);
    String name = tensors.get(tensorAt(layers[i].from())).name();
    int cut = name.lastIndexOf('_');
    return cut > 0 ? name.substring(0, cut) : name;
  }

  public int largestLayerLength() {
    int max = 0;
    for (Range layer : layers) {
      max = Math.max(max, layer.length());
    }
    return max;
  }

  /**
   * Gradient-communication buckets in backward order (highest offsets first), covering {@code [0,
   * numParams)} exactly. A bucket is either whole consecutive layers totalling at most {@code
   * bucketElements}, or one piece (at most {@code bucketElements}) of a layer longer than that.
   */
  public List<Range> buckets() {
    return buckets;
  }

  public int tensorCount() {
    return tensors.size();
  }

  public TensorSpan tensor(int i) {
    checkIndex("tensor", i, tensors.size());
    return tensors.get(i);
  }

  /** The non-empty parts of tensors that lie in {@code rank}'s shard, in offset order. */
  public List<TensorPiece> pieces(int rank) {
    Range shard = shard(rank);
    if (shard.isEmpty()) {
      return List.of();
    }
    List<TensorPiece> pieces = new ArrayList<>();
    for (int i = tensorAt(shard.from()); i < tensors.size(); i++) {
      Range part = tensors.get(i).range().intersect(shard);
      if (part.isEmpty()) {
        break;
      }
      pieces.add(new TensorPiece(i, part));
    }
    return List.copyOf(pieces);
  }

  /** One line for logs: world size, shard lengths, layers and buckets. */
  public String describe() {
    return "partition of " + numParams + " params over " + plural(worldSize, "rank") + " (align "
        + options.alignElements() + "): shard lengths " + shardLengths() + "; "
        + plural(layers.length, "layer") + " (largest " + largestLayerLength() + "); "
        + plural(buckets.size(), "bucket") + " of at most " + options.bucketElements();
  }

  /** Each shard's length for up to 8 ranks, else the range of lengths. */
  private String shardLengths() {
    StringBuilder s = new StringBuilder();
    int min = Integer.MAX_VALUE;
    for (int r = 0; r < worldSize; r++) {
      int length = bounds[r + 1] - bounds[r];
      s.append(r == 0 ? "" : "/").append(length);
      min = Math.min(min, length);
    }
    return worldSize <= 8 ? s.toString() : min + ".." + maxShardLength();
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  @Override
  public String toString() {
    return describe();
  }

  /** Index of the tensor holding {@code offset}, which must lie in {@code [0, numParams)}. */
  private int tensorAt(int offset) {
    int lo = 0;
    int hi = tensors.size() - 1;
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (tensors.get(mid).offset() <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  private static void checkIndex(String what, int index, int count) {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException(
          what + " " + index + " does not exist: expected 0.." + (count - 1));
    }
  }
}
