package io.sparkzero.driver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's option reference is the table {@code spark-zero options} prints from the option
 * specifications, row for row: regenerate it with {@code spark-zero options} after changing an
 * option.
 */
class ReadmeOptionsTest {

  @Test
  void theReadmeOptionTableIsTheGeneratedOneRowForRow() throws Exception {
    List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
    List<String> generated = OptionsTable.markdown().lines().toList();
    int start = readme.indexOf(generated.get(0));
    assertThat(start).as("README.md has the option table's header row").isNotNegative();
    int end = start;
    while (end < readme.size() && readme.get(end).startsWith("|")) {
      end++;
    }
    List<String> rows = readme.subList(start, end);
    for (int i = 0; i < Math.max(rows.size(), generated.size()); i++) {
      String want = i < generated.size() ? generated.get(i) : "(no row)";
      String have = i < rows.size() ? rows.get(i) : "(no row)";
      assertThat(have).as("README.md line %d: regenerate the table with 'spark-zero options'",
          start + i + 1).isEqualTo(want);
    }
  }
}
