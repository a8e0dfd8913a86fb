package io.sparkzero.sharding.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PartitionPlanTest {
  private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 33, 100, 1000, 4097, 65_536, 100_003};
  private static final int[] WORLD_SIZES = {1, 2, 3, 4, 5, 7, 8, 16, 64};
  private static final int[] ALIGNS = {1, 2, 16, 64, 128};

  // ---- shards

  @Test
  void shardsCoverTheVectorAlignedAndBalancedForManySizes() {
    Random random = new Random(42);
    List<Integer> sizes = new ArrayList<>();
    for (int size : SIZES) {
      sizes.add(size);
    }
    for (int i = 0; i < 20; i++) {
      sizes.add(1 + random.nextInt(1_000_000));
    }
    for (int numParams : sizes) {
      for (int n : WORLD_SIZES) {
        for (int align : ALIGNS) {
          checkShards(plan(numParams, n, align, 1 << 20), align);
        }
      }
    }
  }

  private static void checkShards(PartitionPlan plan, int align) {
    int n = plan.worldSize();
    int[] b = plan.shardBounds();
    String what = plan.describe();
    assertThat(b).as(what).hasSize(n + 1).isSorted();
    assertThat(b[0]).as(what).isZero();
    assertThat(b[n]).as(what).isEqualTo(plan.numParams());
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int r = 0; r < n; r++) {
      if (b[r] != plan.numParams()) {
        assertThat(b[r] % align).as("%s: bound %d", what, r).isZero();
      }
      Range shard = plan.shard(r);
      assertThat(shard).isEqualTo(new Range(b[r], b[r + 1]));
      min = Math.min(min, shard.length());
      max = Math.max(max, shard.length());
    }
    assertThat(max - min).as(what).isLessThanOrEqualTo(align);
    assertThat(plan.maxShardLength()).isEqualTo(max);
    long evenShare = ((long) plan.numParams() + n - 1) / n;
    assertThat((long) max).as(what).isLessThan(evenShare + align);
  }

  @Test
  void threeRanksShareSevenBlocksTwoTwoThree() {
    PartitionPlan plan = plan(100, 3, 16, 1 << 20);
    assertThat(plan.shardBounds()).containsExactly(0, 32, 64, 100);
    assertThat(plan.maxShardLength()).isEqualTo(36);
  }

  @Test
  void aVectorWithFewerBlocksThanRanksLeavesSomeShardsEmpty() {
    PartitionPlan plan = plan(20, 4, 16, 1 << 20);
    assertThat(plan.shardBounds()).containsExactly(0, 0, 16, 16, 20);
    assertThat(plan.shard(0).isEmpty()).isTrue();
    assertThat(plan.shard(2).isEmpty()).isTrue();
    assertThat(plan.pieces(0)).isEmpty();
    assertThat(plan(3, 8, 16, 1 << 20).shardBounds()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 3);
  }

  @Test
  void oneRankOwnsEverything() {
    PartitionPlan plan = plan(1001, 1, 16, 1 << 20);
    assertThat(plan.shard(0)).isEqualTo(new Range(0, 1001));
    assertThat(plan.shardBounds()).containsExactly(0, 1001);
  }

  @Test
  void boundsDoNotOverflowNearTheLargestVector() {
    int numParams = Integer.MAX_VALUE - 5;
    PartitionPlan plan = plan(numParams, 7, 16, 1 << 20);
    assertThat(plan.shardBounds()).isSorted();
    assertThat(plan.shardBounds()[7]).isEqualTo(numParams);
    checkShards(plan, 16);
  }

  @Test
  void shardOfAMissingRankNamesTheValidRanks() {
    PartitionPlan plan = plan(100, 3, 16, 1 << 20);
    assertThatThrownBy(() -> plan.shard(3))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("rank 3 does not exist: expected 0..2");
  }

  // ---- boundsWithin

  @Test
  void boundsWithinARangeCrossingShardBoundaries() {
    PartitionPlan plan = plan(100, 3, 16, 1 << 20); // shards [0,32) [32,64) [64,100)
    assertThat(plan.boundsWithin(new Range(20, 70))).containsExactly(0, 12, 44, 50);
    assertThat(plan.boundsWithin(new Range(0, 100))).containsExactly(plan.shardBounds());
  }

  @Test
  void boundsWithinARangeInsideOneShardGiveItAllToTheOwner() {
    PartitionPlan plan = plan(100, 3, 16, 1 << 20);
    assertThat(plan.boundsWithin(new Range(40, 50))).containsExactly(0, 0, 10, 10);
    assertThat(plan.boundsWithin(new Range(0, 5))).containsExactly(0, 5, 5, 5);
    assertThat(plan.boundsWithin(new Range(90, 100))).containsExactly(0, 0, 0, 10);
    assertThat(plan.boundsWithin(new Range(32, 32))).containsExactly(0, 0, 0, 0);
  }

  @Test
  void boundsWithinMatchTheShardsCutByTheRangeForRandomRanges() {
    Random random = new Random(7);
    for (int trial = 0; trial < 500; trial++) {
      int numParams = 1 + random.nextInt(5000);
      PartitionPlan plan =
          plan(numParams, 1 + random.nextInt(9), ALIGNS[random.nextInt(ALIGNS.length)], 1 << 20);
      int from = random.nextInt(numParams + 1);
      Range range = new Range(from, from + random.nextInt(numParams - from + 1));
      int[] within = plan.boundsWithin(range);
      assertThat(within[0]).isZero();
      assertThat(within[plan.worldSize()]).isEqualTo(range.length());
      for (int r = 0; r < plan.worldSize(); r++) {
        Range part = plan.shard(r).intersect(range);
        assertThat(within[r + 1] - within[r]).isEqualTo(part.length());
        if (!part.isEmpty()) {
          assertThat(within[r]).isEqualTo(part.from() - range.from());
        }
      }
    }
  }

  @Test
  void boundsWithinARangePastTheEndIsRefused() {
    PartitionPlan plan = plan(100, 3, 16, 1 << 20);
    assertThatThrownBy(() -> plan.boundsWithin(new Range(90, 101)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[90, 101)")
        .hasMessageContaining("100-element vector");
  }

  // ---- layers

  @Test
  void layersCoverTheirTensorsAndTakeTheirNamesFromTheFirstOne() {
    List<TensorSpan> tensors = List.of(
        new TensorSpan("conv1_W", 0, 0, 10),
        new TensorSpan("conv1_b", 0, 10, 2),
        new TensorSpan("bias", 1, 12, 5),
        new TensorSpan("out_layer_W", 2, 17, 30),
        new TensorSpan("_x", 3, 47, 3));
    PartitionPlan plan = PartitionPlan.create(50, tensors, 2, PartitionOptions.defaults());
    assertThat(plan.layerCount()).isEqualTo(4);
    assertThat(plan.layer(0)).isEqualTo(new Range(0, 12));
    assertThat(plan.layer(1)).isEqualTo(new Range(12, 17));
    assertThat(plan.layer(2)).isEqualTo(new Range(17, 47));
    assertThat(plan.layerName(0)).isEqualTo("conv1");
    assertThat(plan.layerName(1)).isEqualTo("bias");
    assertThat(plan.layerName(2)).isEqualTo("out_layer");
    assertThat(plan.layerName(3)).isEqualTo("_x");
    assertThat(plan.largestLayerLength()).isEqualTo(30);
    assertThat(plan.tensorCount()).isEqualTo(5);
    assertThat(plan.tensor(3).name()).isEqualTo("out_layer_W");
    assertThatThrownBy(() -> plan.layer(4)).isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessage("layer 4 does not exist: expected 0..3");
  }

  // ---- buckets

  @Test
  void bucketsGroupWholeLayersBackwardAndSplitLargeLayersAlone() {
    // layers [0,10) [10,40) [40,45) [45,50) [50,100), buckets of at most 20
    PartitionPlan plan = PartitionPlan.create(100,
        Models.layers(new int[] {10}, new int[] {20, 10}, new int[] {5}, new int[] {5},
            new int[] {40, 10}),
        2, new PartitionOptions(16, 20));
    assertThat(plan.buckets()).containsExactly(
        new Range(80, 100), new Range(60, 80), new Range(50, 60), // layer 4, cut from the top
        new Range(40, 50), // layers 3 and 2 together
        new Range(20, 40), new Range(10, 20), // layer 1 alone
        new Range(0, 10)); // layer 0
  }

  @Test
  void bucketsCloseWhenTheNextLayerWouldOverflowThem() {
    PartitionPlan plan = PartitionPlan.create(40,
        Models.layers(new int[] {8}, new int[] {8}, new int[] {8}, new int[] {8}, new int[] {8}),
        1, new PartitionOptions(1, 20));
    assertThat(plan.buckets())
        .containsExactly(new Range(24, 40), new Range(8, 24), new Range(0, 8));
    PartitionPlan oneBucket = PartitionPlan.create(40,
        Models.layers(new int[] {8}, new int[] {8}, new int[] {8}, new int[] {8}, new int[] {8}),
        1, new PartitionOptions(1, 40));
    assertThat(oneBucket.buckets()).containsExactly(new Range(0, 40));
  }

  @Test
  void bucketsCoverBackwardRespectTheLimitAndNeverMixASplitLayerForRandomModels() {
    Random random = new Random(11);
    for (int trial = 0; trial < 400; trial++) {
      List<TensorSpan> tensors = Models.random(random);
      int bucketElements = 1 + random.nextInt(2000);
      PartitionPlan plan = PartitionPlan.create(Models.total(tensors), tensors,
          1 + random.nextInt(8), new PartitionOptions(16, bucketElements));
      List<Range> buckets = plan.buckets();
      String what = plan.describe();
      assertThat(buckets.get(0).to()).as(what).isEqualTo(plan.numParams());
      assertThat(buckets.get(buckets.size() - 1).from()).as(what).isZero();
      for (int i = 0; i < buckets.size(); i++) {
        Range bucket = buckets.get(i);
        assertThat(bucket.isEmpty()).as(what).isFalse();
        assertThat(bucket.length()).as(what).isLessThanOrEqualTo(bucketElements);
        if (i + 1 < buckets.size()) {
          assertThat(buckets.get(i + 1).to()).as(what).isEqualTo(bucket.from());
        }
        checkBucketIsOneSplitLayerOrWholeLayers(plan, bucket, bucketElements);
      }
      checkWholeLayerBucketsAreGreedy(plan, bucketElements);
    }
  }

  private static void checkBucketIsOneSplitLayerOrWholeLayers(
      PartitionPlan plan, Range bucket, int bucketElements) {
    for (int l = 0; l < plan.layerCount(); l++) {
      Range layer = plan.layer(l);
      if (layer.intersect(bucket).isEmpty()) {
        continue;
      }
      if (layer.length() > bucketElements) {
        assertThat(layer.intersect(bucket)).as("bucket %s, split layer %d", bucket, l)
            .isEqualTo(bucket);
      } else {
        assertThat(layer.intersect(bucket)).as("bucket %s, whole layer %d", bucket, l)
            .isEqualTo(layer);
      }
    }
  }

  /** A bucket of whole layers stops only where the next layer down would not fit or is split. */
  private static void checkWholeLayerBucketsAreGreedy(PartitionPlan plan, int bucketElements) {
    for (Range bucket : plan.buckets()) {
      for (int l = 1; l < plan.layerCount(); l++) {
        Range below = plan.layer(l - 1);
        if (plan.layer(l).from() == bucket.from() && plan.layer(l).length() <= bucketElements) {
          assertThat(bucket.length() + below.length()).as("bucket %s above layer %d", bucket, l - 1)
              .isGreaterThan(bucketElements);
        }
      }
    }
  }

  // ---- tensor pieces

  @Test
  void piecesOfAllRanksTileEveryTensorExactlyOnce() {
    Random random = new Random(5);
    for (int trial = 0; trial < 400; trial++) {
      List<TensorSpan> tensors = Models.random(random);
      PartitionPlan plan = PartitionPlan.create(Models.total(tensors), tensors,
          WORLD_SIZES[random.nextInt(WORLD_SIZES.length)],
          new PartitionOptions(ALIGNS[random.nextInt(ALIGNS.length)], 1 << 20));
      int[] covered = new int[plan.tensorCount()];
      for (int r = 0; r < plan.worldSize(); r++) {
        int at = plan.shard(r).from();
        for (TensorPiece piece : plan.pieces(r)) {
          assertThat(piece.range().from()).as("rank %d tiles its shard", r).isEqualTo(at);
          at = piece.range().to();
          TensorSpan tensor = plan.tensor(piece.tensor());
          assertThat(piece.range().from())
              .as("tensor %d pieces in order", piece.tensor())
              .isEqualTo(tensor.offset() + covered[piece.tensor()]);
          covered[piece.tensor()] += piece.range().length();
        }
        assertThat(at).as("rank %d tiles its shard", r).isEqualTo(plan.shard(r).to());
      }
      for (int t = 0; t < plan.tensorCount(); t++) {
        assertThat(covered[t]).as("tensor %d", t).isEqualTo(plan.tensor(t).length());
      }
    }
  }

  @Test
  void aShardStartingInsideATensorGetsItsTail() {
    PartitionPlan plan = PartitionPlan.create(100,
        Models.layers(new int[] {40, 10}, new int[] {50}), 3, new PartitionOptions(16, 1 << 20));
    // shards [0,32) [32,64) [64,100)
    assertThat(plan.pieces(1)).containsExactly(
        new TensorPiece(0, new Range(32, 40)),
        new TensorPiece(1, new Range(40, 50)),
        new TensorPiece(2, new Range(50, 64)));
    assertThat(plan.pieces(2)).containsExactly(new TensorPiece(2, new Range(64, 100)));
  }

  // ---- describe

  @Test
  void describeSummarisesWorldSizeShardsLayersAndBuckets() {
    PartitionPlan plan = PartitionPlan.create(100,
        Models.layers(new int[] {40, 10}, new int[] {50}), 3, new PartitionOptions(16, 60));
    assertThat(plan.describe()).isEqualTo(
        "partition of 100 params over 3 ranks (align 16): shard lengths 32/32/36;"
            + " 2 layers (largest 50); 2 buckets of at most 60");
    assertThat(plan(100_000, 64, 16, 1 << 20).describe()).contains("over 64 ranks")
        .contains("shard lengths 1552..1568");
  }

  // ---- validation

  @Test
  void aGapBetweenTensorsNamesBothTensors() {
    List<TensorSpan> tensors = List.of(
        new TensorSpan("0_W", 0, 0, 10), new TensorSpan("0_b", 0, 12, 8));
    assertThatThrownBy(() -> create(20, tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 1 '0_b' starts at offset 12 but the previous one, tensor 0 '0_W',"
            + " ends at 10: gap of 2 elements between them");
  }

  @Test
  void overlappingTensorsAreRefused() {
    List<TensorSpan> tensors = List.of(
        new TensorSpan("0_W", 0, 0, 10), new TensorSpan("0_b", 0, 7, 13));
    assertThatThrownBy(() -> create(20, tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 1 '0_b' starts at offset 7")
        .hasMessageEndingWith("they overlap by 3 elements");
  }

  @Test
  void theFirstTensorMustStartAtZero() {
    assertThatThrownBy(() -> create(20, List.of(new TensorSpan("0_W", 0, 4, 16))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 0 '0_W' starts at offset 4, but the first tensor must start at 0");
  }

  @Test
  void tensorsMustEndAtNumParams() {
    List<TensorSpan> tensors = Models.layers(new int[] {10, 5});
    assertThatThrownBy(() -> create(20, tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the tensors end at offset 15 but numParams is 20: the last one,"
            + " tensor 1 '0_b', must end at numParams");
    assertThatThrownBy(() -> create(12, tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end at offset 15 but numParams is 12");
  }

  @Test
  void layerIndicesMustStartAtZeroAndGrowByAtMostOne() {
    assertThatThrownBy(() -> create(10, List.of(new TensorSpan("1_W", 1, 0, 10))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "tensor 0 '1_W' belongs to layer 1, but the first tensor must belong to layer 0");
    List<TensorSpan> decreasing = List.of(new TensorSpan("0_W", 0, 0, 5),
        new TensorSpan("1_W", 1, 5, 5), new TensorSpan("0_b", 0, 10, 5));
    assertThatThrownBy(() -> create(15, decreasing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tensor 2 '0_b' belongs to layer 0 but follows tensor 1 '1_W' of layer 1:"
            + " layer indices must increase by 0 or 1 from one tensor to the next");
    List<TensorSpan> skipping = List.of(new TensorSpan("0_W", 0, 0, 5),
        new TensorSpan("2_W", 2, 5, 5));
    assertThatThrownBy(() -> create(10, skipping))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor 1 '2_W' belongs to layer 2 but follows tensor 0 '0_W'");
  }

  @Test
  void badWorldSizeSizesAndOptionsAreRefused() {
    List<TensorSpan> tensors = Models.flat(10);
    assertThatThrownBy(() -> PartitionPlan.create(10, tensors, 0, PartitionOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("worldSize must be >= 1, got 0");
    assertThatThrownBy(() -> create(0, tensors))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("numParams must be >= 1, got 0");
    assertThatThrownBy(() -> create(10, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no tensors given");
    assertThatThrownBy(() -> new TensorSpan("0_W", 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tensor '0_W' at offset 0 with length 0 is invalid");
    assertThatThrownBy(() -> new TensorSpan("0_W", -1, 0, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("layer -1");
    assertThatThrownBy(() -> new PartitionOptions(0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("alignElements must be >= 1, got 0");
    assertThatThrownBy(() -> new PartitionOptions(16, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bucketElements must be >= 1, got 0");
    assertThat(PartitionOptions.defaults()).isEqualTo(new PartitionOptions(16, 1 << 20));
  }

  private static PartitionPlan plan(int numParams, int n, int align, int bucketElements) {
    return PartitionPlan.create(
        numParams, Models.flat(numParams), n, new PartitionOptions(align, bucketElements));
  }

  private static PartitionPlan create(int numParams, List<TensorSpan> tensors) {
    return PartitionPlan.create(numParams, tensors, 2, PartitionOptions.defaults());
  }
}
