package dev.tally.gateway;

/** A request the gateway answers with an error status and a plain-text reason. */
final class GatewayException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  GatewayException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
