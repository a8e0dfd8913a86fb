package io.sparkzero.pruning;

import io.sparkzero.sharding.options.ConfigException;

/**
 * A pruning option or outcome the job cannot run with: a fraction outside (0, 1], a class floor
 * outside [0, 1], an unknown keep policy, or a kept set too small for one step. The one-line
 * message names the option, the value and what is allowed. It is a {@link ConfigException} (so an
 * {@link IllegalArgumentException}), which the command line reports as a configuration error
 * before any Spark work starts.
 */
public final class PruningException extends ConfigException {
  private static final long serialVersionUID = 1L;

  /** {@code option 'key': value 'value' is not allowed; expected allowed}. */
  public PruningException(String key, String value, String allowed) {
    super(key, value, allowed);
  }

  /** {@code option 'key': message}, for what is wrong beyond one value. */
  public PruningException(String key, String message) {
    super(key, message);
  }
}
