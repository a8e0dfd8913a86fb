package io.sparkzero.sharding.collective;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkzero.sharding.options.OptionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every collective option has a row in the module README's reference table, with its default. */
class OptionsDocumentedTest {

  @Test
  void readmeTableListsEveryKeyWithItsDefault() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("README.md")).stream()
        .filter(line -> line.startsWith("| `collective."))
        .toList();
    for (OptionSpec<?> spec : CollectiveOptionSpecs.ALL) {
      String shownDefault =
          spec.shownDefault().isEmpty() ? "(empty)" : "`" + spec.shownDefault() + "`";
      assertThat(rows).as("README.md row for %s", spec.key())
          .anySatisfy(row -> assertThat(row)
              .startsWith("| `" + spec.key() + "` | " + shownDefault + " |"));
    }
    assertThat(rows).hasSize(CollectiveOptionSpecs.ALL.size());
  }
}
