package dev.tally.plugin.spi.http;

/** Ends a request with a status and a message the client sees as {@code {"error": ...}}. */
public final class RouteException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  public RouteException(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 400..599, got " + status);
    }
    this.status = status;
  }

  public static RouteException badRequest(String message) {
    return new RouteException(400, message);
  }

  public static RouteException notFound(String message) {
    return new RouteException(404, message);
  }

  public int status() {
    return status;
  }
}
