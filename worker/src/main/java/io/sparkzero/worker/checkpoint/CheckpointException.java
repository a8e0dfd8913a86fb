package io.sparkzero.worker.checkpoint;

/** A checkpoint could not be saved or restored; the message says which step, rank and why. */
public final class CheckpointException extends RuntimeException {
  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }

  public CheckpointException(String message) {
    super(message);
  }
}
