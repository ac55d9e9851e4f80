package dev.tally.rpc;

/**
 * A command failure with the HTTP status and Kubo error code it is reported with: 400 and code 1
 * ({@code ErrClient}) for malformed requests, 500 and code 0 ({@code ErrNormal}) for commands that
 * ran and failed.
 */
public final class RpcException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final int code;

  private RpcException(int status, int code, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.code = code;
  }

  /** A malformed request: a missing argument, an option of the wrong type. */
  public static RpcException badRequest(String message) {
    return new RpcException(400, 1, message, null);
  }

  /** The command ran and failed. */
  public static RpcException failed(String message) {
    return new RpcException(500, 0, message, null);
  }

  public int status() {
    return status;
  }

  public int code() {
    return code;
  }
}
