package io.sparkzero.worker.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LocalDatasetTest {

  @Test
  void theSameExamplesInAnyOrderGiveTheSameDatasetAndBatches() {
    List<LabeledExample> examples = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      examples.add(new LabeledExample(1000 - 7L * i, i % 3, new float[] {i, -i}));
    }
    List<LabeledExample> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, new Random(4));

    LocalDataset a = LocalDataset.collect(examples.iterator(), 2, 3);
    LocalDataset b = LocalDataset.collect(shuffled.iterator(), 2, 3);

    for (int i = 0; i < a.size(); i++) {
      assertThat(b.id(i)).isEqualTo(a.id(i));
      assertThat(b.label(i)).isEqualTo(a.label(i));
      if (i > 0) {
        assertThat(a.id(i)).isGreaterThan(a.id(i - 1));
      }
    }
    int[] indices = {0, 17, 49};
    assertThat(b.batch(indices).features().reshape(6).toFloatVector())
        .containsExactly(a.batch(indices).features().reshape(6).toFloatVector());
    // Features travel with their example: id 1000 - 7i has features {i, -i}.
    assertThat(a.batch(new int[] {a.size() - 1}).features().reshape(2).toFloatVector())
        .containsExactly(0f, 0f);
  }

  @Test
  void aWrongFeatureCountNamesTheExample() {
    List<LabeledExample> bad = List.of(new LabeledExample(5, 1, new float[3]));
    assertThatThrownBy(() -> LocalDataset.collect(bad.iterator(), 2, 3))
        .hasMessageContaining("example id 5").hasMessageContaining("expected 2 features");
  }

  @Test
  void aKeptViewShowsOnlyTheKeptExamplesInIdOrderWithTheirOwnFeaturesAndLabels() {
    List<LabeledExample> examples = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      examples.add(new LabeledExample(100 + i, i % 4, new float[] {i, 10 * i}));
    }
    LocalDataset all = LocalDataset.collect(examples.iterator(), 2, 4);
    // 3 and 999 are not in the data: a kept set may name examples of other ranks' partitions.
    LocalDataset kept = all.keeping(KeptIds.of(new long[] {117, 103, 999, 110, 103}));

    assertThat(kept.size()).isEqualTo(3);
    assertThat(new long[] {kept.id(0), kept.id(1), kept.id(2)}).containsExactly(103, 110, 117);
    assertThat(new int[] {kept.label(0), kept.label(1), kept.label(2)}).containsExactly(3, 2, 1);
    LocalDataset.Batch batch = kept.batch(new int[] {2, 0});
    assertThat(batch.features().reshape(4).toFloatVector()).containsExactly(17f, 170f, 3f, 30f);
    assertThat(batch.labels().getFloat(0, 1)).isEqualTo(1f);
    assertThat(batch.labels().getFloat(1, 3)).isEqualTo(1f);
    assertThat(kept.features(new int[] {2, 0})).containsExactly(17f, 170f, 3f, 30f);
    // A later epoch's kept set applies to the whole partition, not to the previous set.
    LocalDataset next = kept.keeping(KeptIds.of(new long[] {100}));
    assertThat(next.size()).isEqualTo(1);
    assertThat(next.id(0)).isEqualTo(100);
  }
}
