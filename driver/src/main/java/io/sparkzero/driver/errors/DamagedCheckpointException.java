package io.sparkzero.driver.errors;

import io.sparkzero.checkpoint.CheckpointCorruptException;

/**
 * A committed checkpoint the job needs is damaged ({@link CheckpointCorruptException}), with what
 * the user can do about it in this command: which option or argument picks another step. Not a
 * configuration error: the options are fine, the files under them are not.
 */
public final class DamagedCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String hint;

  /**
   * @param damage what the checkpoint's integrity check found (its message is kept as this one's)
   * @param hint what to do, in options or arguments the user can change
   */
  public DamagedCheckpointException(CheckpointCorruptException damage, String hint) {
    super(damage.getMessage(), damage);
    this.hint = hint;
  }

  /** What to do, e.g. "set checkpoint.on-corrupt: previous to resume from the step before it". */
  public String hint() {
    return hint;
  }
}
