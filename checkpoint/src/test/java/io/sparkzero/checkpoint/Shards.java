package io.sparkzero.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: writes and commits steps whose every element is known, {@link #value}, so any read
 * can be checked against the formula. Ranks write in calls of uneven sizes (1, 7, then the rest)
 * to exercise the writer's block cutting.
 */
final class Shards {
  private Shards() {}

  static final List<String> ARRAYS = List.of("params", "opt.0", "opt.1");

  /** Element {@code global} of array {@code array} at step {@code step}; exact in float. */
  static float value(long step, int array, long global) {
    return step * 10_000f + array * 1000f + global + 0.25f;
  }

  static byte[] meta(long step, int rank) {
    return ("step-" + step + "-rank-" + rank + "-rng").getBytes(StandardCharsets.UTF_8);
  }

  /** {@code [bounds[r], bounds[r + 1])} is rank r's range; the last bound is numElements. */
  static List<ShardRecord> write(CheckpointStore store, long step, long... bounds) {
    List<ShardRecord> records = new ArrayList<>();
    for (int rank = 0; rank + 1 < bounds.length; rank++) {
      records.add(writeRank(store, step, rank, bounds[rank], bounds[rank + 1]));
    }
    return records;
  }

  static ShardRecord writeRank(CheckpointStore store, long step, int rank, long from, long to) {
    ShardHeader header = new ShardHeader(rank, from, to, ARRAYS, meta(step, rank));
    try (ShardWriter writer = store.beginShard(step, rank, header)) {
      for (int a = 0; a < ARRAYS.size(); a++) {
        float[] data = expected(step, a, from, (int) (to - from));
        int done = 0;
        for (int chunk : new int[] {1, 7, Integer.MAX_VALUE}) {
          int n = Math.min(chunk, data.length - done);
          writer.write(ARRAYS.get(a), data, done, n);
          done += n;
        }
      }
      return writer.finish();
    }
  }

  /** Writes and commits a step, with two properties the trainer might set. */
  static Manifest commit(CheckpointStore store, long step, long... bounds) {
    Manifest manifest = Manifest.of(step, bounds[bounds.length - 1], ARRAYS,
        write(store, step, bounds), Map.of("epoch", "3", "zero.stage", "2"));
    store.commit(manifest);
    return manifest;
  }

  /** The expected elements {@code [from, from + count)} of array {@code array}. */
  static float[] expected(long step, int array, long from, int count) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = value(step, array, from + i);
    }
    return values;
  }

  /** Reads elements {@code [from, from + count)} of {@code array} from {@code checkpoint}. */
  static float[] read(Checkpoint checkpoint, String array, long from, int count) {
    float[] dst = new float[count];
    checkpoint.read(array, from, dst, 0, count);
    return dst;
  }
}
