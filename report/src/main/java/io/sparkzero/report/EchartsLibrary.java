package io.sparkzero.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The ECharts library, read once from its webjar on the classpath, to be inlined in each page so
 * that a report opens with no network (a cluster's edge node, a laptop on a train, an archive).
 */
public final class EchartsLibrary {

  /** Where the webjar keeps the minified, self-contained bundle; the version is the parent pom's {@code echarts.version}. */
  public static final String RESOURCE = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private EchartsLibrary() {}

  /** The library's source text. */
  public static String source() {
    return Holder.SOURCE;
  }

  /** Loads on first use, so a program that never writes a report never reads the megabyte. */
  private static final class Holder {
    static final String SOURCE = load();
  }

  private static String load() {
    ClassLoader loader = EchartsLibrary.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("ECharts not found on the classpath at " + RESOURCE
            + ": add org.webjars.npm:echarts:5.3.1 to the runtime classpath");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Inlined, the text must not end its own <script> element; the 5.3.1 bundle does not.
      if (source.toLowerCase(Locale.ROOT).contains("</script")) {
        throw new IllegalStateException(RESOURCE + " contains '</script' and cannot be inlined");
      }
      return source;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE + " from the classpath", e);
    }
  }
}
