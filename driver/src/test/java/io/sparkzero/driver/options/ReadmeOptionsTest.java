package io.sparkzero.driver.options;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's option reference must list every option the job accepts. */
class ReadmeOptionsTest {

  @Test
  void everyOptionIsDocumentedInTheReadme() throws Exception {
    Path readme = Path.of("..", "README.md");
    String text = Files.readString(readme);
    for (OptionSpec<?> o : JobOptions.ALL) {
      assertThat(text).as("README.md documents option " + o.key()).contains("`" + o.key() + "`");
    }
    for (var o : io.sparkzero.sharding.collective.CollectiveOptionSpecs.ALL) {
      assertThat(text).as("README.md documents option " + o.key()).contains("`" + o.key() + "`");
    }
  }
}
