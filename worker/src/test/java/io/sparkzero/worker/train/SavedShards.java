package io.sparkzero.worker.train;

import io.sparkzero.sharding.plan.Range;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The ranks' saved shards held in memory, for tests of {@link TrainerState} itself: each rank
 * saves its range of every array; any range is then read across the shards, as from a
 * checkpoint written by that many ranks.
 */
final class SavedShards implements StateSource {
  private final ConcurrentSkipListMap<Integer, Shard> byFrom = new ConcurrentSkipListMap<>();

  private record Shard(Range range, Map<String, float[]> arrays, byte[] meta) {}

  /** Saves {@code trainer}'s shard (call on each rank's own thread). */
  void save(ZeroTrainer trainer) {
    Range range = trainer.shard();
    Map<String, float[]> arrays = new HashMap<>();
    Map<String, Integer> filled = new TreeMap<>();
    TrainerState.save(trainer, (array, src, offset, count) -> {
      float[] dst = arrays.computeIfAbsent(array, a -> new float[range.length()]);
      int at = filled.getOrDefault(array, 0);
      System.arraycopy(src, offset, dst, at, count);
      filled.put(array, at + count);
    });
    filled.forEach((array, n) -> {
      if (n != range.length()) {
        throw new AssertionError(array + ": saved " + n + " of " + range.length() + " elements");
      }
    });
    byFrom.put(range.from(), new Shard(range, arrays, TrainerState.meta(trainer)));
  }

  @Override
  public void read(String array, long from, float[] dst, int offset, int count) {
    long at = from;
    while (at < from + count) {
      Map.Entry<Integer, Shard> e = byFrom.floorEntry((int) at);
      if (e == null || e.getValue().range().to() <= at) {
        throw new AssertionError("no saved shard holds element " + at + " of " + array);
      }
      Shard shard = e.getValue();
      int n = (int) Math.min(from + count - at, shard.range().to() - at);
      System.arraycopy(shard.arrays().get(array), (int) (at - shard.range().from()), dst,
          offset + (int) (at - from), n);
      at += n;
    }
  }

  /** Rank 0's metadata (every rank's is the same). */
  byte[] meta() {
    return byFrom.firstEntry().getValue().meta();
  }
}
