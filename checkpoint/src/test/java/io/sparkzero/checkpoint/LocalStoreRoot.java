package io.sparkzero.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** A {@link StoreRoot} on {@code file://}: a temporary directory, deleted after the test class. */
final class LocalStoreRoot implements ParameterResolver {

  private static final Namespace NAMESPACE = Namespace.create(LocalStoreRoot.class);

  /** The temporary directory, deleted when the class's store closes it. */
  private record TempDirectory(Path dir) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StoreRoot.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TempDirectory temp = StoreRoot.outermostClass(context).getStore(NAMESPACE)
        .getOrComputeIfAbsent("dir", key -> create(), TempDirectory.class);
    return new StoreRoot(temp.dir().toUri().toString(), new Configuration());
  }

  private static TempDirectory create() {
    try {
      return new TempDirectory(Files.createTempDirectory("checkpoint-test"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary directory for the stores", e);
    }
  }
}
