package io.sparkzero.driver.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.worker.data.LabeledExample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Compares examples by value: a record's {@code equals} compares its float array by identity. */
final class ExampleAssertions {

  private ExampleAssertions() {}

  /** Same ids, labels and features (exactly), whatever the order. */
  static void assertSameExamples(List<LabeledExample> actual, List<LabeledExample> expected) {
    List<LabeledExample> a = sortedById(actual);
    List<LabeledExample> e = sortedById(expected);
    assertThat(a).extracting(LabeledExample::id)
        .containsExactlyElementsOf(e.stream().map(LabeledExample::id).toList());
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).label()).as("label of id %d", a.get(i).id()).isEqualTo(e.get(i).label());
      assertThat(a.get(i).features()).as("features of id %d", a.get(i).id())
          .containsExactly(e.get(i).features());
    }
  }

  static List<LabeledExample> sortedById(List<LabeledExample> examples) {
    List<LabeledExample> sorted = new ArrayList<>(examples);
    sorted.sort(Comparator.comparingLong(LabeledExample::id));
    return sorted;
  }
}
