package io.sparkzero.checkpoint;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What commits one step: every rank's finished shard, and the trainer's free-form properties
 * (epoch, step in epoch, ZeRO stage, optimizer...). Written last, as {@code manifest.json} in the
 * step directory; a step without a valid manifest does not exist for readers.
 *
 * <p>A manifest is valid by construction: every shard of ranks {@code 0..worldSize-1} is listed
 * once, and the shards cover {@code [0, numElements)} without gap or overlap (the error names the
 * gap or overlap and its ranks). The same checks run when a manifest is read back from JSON.
 *
 * @param formatVersion {@link #FORMAT_VERSION}; another value is refused
 * @param step the training step this checkpoint was taken after
 * @param worldSize how many ranks wrote the step
 * @param numElements length of every array's flat global vector
 * @param arrays names of the arrays every shard holds, in shard order
 * @param shards one record per rank, any order
 * @param properties free-form trainer properties; null is read as empty
 */
public record Manifest(int formatVersion, long step, int worldSize, long numElements,
    List<String> arrays, List<ShardRecord> shards, Map<String, String> properties) {

  /** The manifest and shard format this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** Validates every field and the shards' coverage; lists and map are copied. */
  public Manifest {
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException("unsupported manifest format version " + formatVersion
          + ": this build reads version " + FORMAT_VERSION);
    }
    if (step < 0 || worldSize < 1 || numElements < 0) {
      throw new IllegalArgumentException("manifest step " + step + ", world size " + worldSize
          + ", numElements " + numElements + " is invalid: expected step >= 0, world size >= 1,"
          + " numElements >= 0");
    }
    arrays = ShardHeader.checkArrays(arrays);
    shards = checkRanks(shards, worldSize);
    Coverage.check(shards, numElements);
    properties = properties == null ? Map.of() : Map.copyOf(properties);
  }

  /** A manifest of the current format; the world size is the number of shards. */
  public static Manifest of(long step, long numElements, List<String> arrays,
      List<ShardRecord> shards, Map<String, String> properties) {
    return new Manifest(FORMAT_VERSION, step, shards.size(), numElements, arrays, shards,
        properties);
  }

  private static List<ShardRecord> checkRanks(List<ShardRecord> shards, int worldSize) {
    if (shards == null || shards.size() != worldSize) {
      throw new IllegalArgumentException("manifest lists " + (shards == null ? 0 : shards.size())
          + " shards for world size " + worldSize + ": expected one per rank");
    }
    Set<Integer> seen = new HashSet<>();
    for (ShardRecord shard : shards) {
      if (shard == null || shard.rank() >= worldSize || !seen.add(shard.rank())) {
        throw new IllegalArgumentException("manifest shard " + shard + " is invalid: expected"
            + " each rank 0.." + (worldSize - 1) + " exactly once");
      }
    }
    return List.copyOf(shards);
  }

  /** The shard written by {@code rank}. */
  public ShardRecord shard(int rank) {
    return shards.stream().filter(s -> s.rank() == rank).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("step " + step + " has no rank " + rank
            + ": its world size is " + worldSize));
  }
}
