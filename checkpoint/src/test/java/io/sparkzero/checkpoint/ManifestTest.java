package io.sparkzero.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A manifest is valid by construction, and JSON round trips it; a bad one names its problem. */
class ManifestTest {
  private static final List<String> ARRAYS = List.of("params", "opt.0");

  private static ShardRecord shard(int rank, long from, long to) {
    return new ShardRecord(rank, StepPaths.shardName(rank), from, to, 100 + to - from, 0xCAFEL);
  }

  @Test
  void jsonRoundTripKeepsEveryField() {
    Manifest manifest = new Manifest(Manifest.FORMAT_VERSION, 42, 3, 30, ARRAYS,
        List.of(shard(2, 20, 30), shard(0, 0, 10), shard(1, 10, 20)),
        Map.of("epoch", "2", "optimizer", "lamb"));

    Manifest back = ManifestJson.parse(ManifestJson.toJson(manifest), "m.json");

    assertThat(back).isEqualTo(manifest);
    assertThat(new String(ManifestJson.toJson(manifest), StandardCharsets.UTF_8))
        .contains("\"formatVersion\" : 1").contains("\"headerCrc32c\" : 51966");
  }

  @Test
  void gapIsNamedWithItsRangeAndRanks() {
    assertThatThrownBy(() -> Manifest.of(1, 30, ARRAYS,
        List.of(shard(0, 0, 10), shard(1, 12, 30)), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("manifest gap: elements [10, 12) are in no shard (rank 0 [0, 10) ends at 10,"
            + " rank 1 [12, 30) starts at 12)");
    assertThatThrownBy(() -> Manifest.of(1, 30, ARRAYS,
        List.of(shard(0, 0, 10), shard(1, 10, 25)), Map.of()))
        .hasMessageContaining("manifest gap: elements [25, 30) are in no shard");
    assertThatThrownBy(() -> Manifest.of(1, 30, ARRAYS, List.of(shard(0, 3, 30)), Map.of()))
        .hasMessageContaining("manifest gap: elements [0, 3) are in no shard");
  }

  @Test
  void overlapIsNamedWithItsRangeAndRanks() {
    assertThatThrownBy(() -> Manifest.of(1, 30, ARRAYS,
        List.of(shard(0, 0, 12), shard(1, 10, 30)), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("manifest overlap: elements [10, 12) are in two shards (rank 0 [0, 12) ends"
            + " at 12, rank 1 [10, 30) starts at 10)");
    assertThatThrownBy(() -> Manifest.of(1, 30, ARRAYS,
        List.of(shard(0, 0, 10), shard(1, 10, 31)), Map.of()))
        .hasMessageContaining("manifest overlap: rank 1 [10, 31) runs past numElements 30");
  }

  @Test
  void emptyShardsMaySitAtAnyBoundary() {
    Manifest manifest = Manifest.of(1, 20, ARRAYS,
        List.of(shard(0, 0, 0), shard(1, 0, 20), shard(2, 20, 20)), Map.of());
    assertThat(manifest.worldSize()).isEqualTo(3);
    assertThat(manifest.shard(2).length()).isZero();
  }

  @Test
  void ranksMustBeEachListedOnceAndTheVersionMustBeKnown() {
    assertThatThrownBy(() -> Manifest.of(1, 20, ARRAYS,
        List.of(shard(0, 0, 10), shard(0, 10, 20)), Map.of()))
        .hasMessageContaining("each rank 0..1 exactly once");
    assertThatThrownBy(() -> new Manifest(1, 1, 3, 20, ARRAYS,
        List.of(shard(0, 0, 10), shard(1, 10, 20)), Map.of()))
        .hasMessageContaining("lists 2 shards for world size 3");
    assertThatThrownBy(() -> new Manifest(2, 1, 1, 10, ARRAYS, List.of(shard(0, 0, 10)), null))
        .hasMessageContaining("unsupported manifest format version 2");
  }

  @Test
  void unparsableOrInvalidJsonIsACorruptManifestNamingTheFile() {
    assertThatThrownBy(() -> ManifestJson.parse("{\"step\": ".getBytes(StandardCharsets.UTF_8),
        "hdfs://nn/ckpt/step-000000000001/manifest.json"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("hdfs://nn/ckpt/step-000000000001/manifest.json")
        .hasMessageContaining("does not parse as a manifest");
    String future = new String(ManifestJson.toJson(Manifest.of(1, 10, ARRAYS,
        List.of(shard(0, 0, 10)), Map.of())), StandardCharsets.UTF_8)
        .replace("\"formatVersion\" : 1", "\"formatVersion\" : 9");
    assertThatThrownBy(() -> ManifestJson.parse(future.getBytes(StandardCharsets.UTF_8), "m"))
        .isInstanceOf(CheckpointCorruptException.class)
        .hasMessageContaining("unsupported manifest format version 9");
  }
}
