package io.sparkzero.driver.errors;

import io.sparkzero.sharding.options.ConfigException;

/**
 * The job's memory plan does not fit the memory one rank may use. A configuration error (the job
 * asks for more than it is given), kept apart from the others because the remedy differs: a
 * higher {@code zero.stage}, offloading, or more memory per rank; the command line exits with its
 * own code for it.
 */
public final class PlanDoesNotFitException extends ConfigException {
  private static final long serialVersionUID = 1L;

  /** {@code option 'key': message}, as {@link ConfigException#ConfigException(String, String)}. */
  public PlanDoesNotFitException(String key, String message) {
    super(key, message);
  }
}
