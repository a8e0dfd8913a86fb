package io.sparkzero.worker.offload;

/** Offloaded state could not be read or written: the message names the path and operation. */
public final class OffloadException extends RuntimeException {
  public OffloadException(String message, Throwable cause) {
    super(message, cause);
  }

  public OffloadException(String message) {
    super(message);
  }
}
