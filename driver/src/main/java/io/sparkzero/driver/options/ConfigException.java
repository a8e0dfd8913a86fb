package io.sparkzero.driver.options;

/**
 * A job option with a bad key or value. The message names the key, the value given and what is
 * allowed; it is raised before any Spark work starts.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String value, String allowed) {
    super("option '" + key + "': value '" + value + "' is not allowed; expected " + allowed);
    this.key = key;
  }

  public ConfigException(String key, String message) {
    super("option '" + key + "': " + message);
    this.key = key;
  }

  /** The offending option key. */
  public String key() {
    return key;
  }
}
