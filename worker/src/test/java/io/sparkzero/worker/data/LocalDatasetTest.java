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
}
