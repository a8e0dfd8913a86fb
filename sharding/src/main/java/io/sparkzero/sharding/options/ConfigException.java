package io.sparkzero.sharding.options;

/**
 * An option with a bad key or value. The message names the key, the value given and what is
 * allowed; it is raised before any work starts (for a job, before Spark starts). It is an {@link
 * IllegalArgumentException}, so callers that refuse bad arguments catch it with the rest. Subclasses
 * mark the configuration errors the command line reports with an exit code of their own.
 */
public class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String key;

  /** {@code option 'key': value 'value' is not allowed; expected allowed}. */
  public ConfigException(String key, String value, String allowed) {
    super("option '" + key + "': value '" + value + "' is not allowed; expected " + allowed);
    this.key = key;
  }

  /** {@code option 'key': message}, for what is wrong beyond one value. */
  public ConfigException(String key, String message) {
    super("option '" + key + "': " + message);
    this.key = key;
  }

  /** The offending option key. */
  public String key() {
    return key;
  }
}
