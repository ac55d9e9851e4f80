package dev.tally.plugin.spi.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A route's answer.
 *
 * @param status HTTP status
 * @param contentType the body's media type
 * @param body the body (the response owns this array: do not change it afterwards)
 * @param headers extra headers
 */
public record PluginResponse(
    int status, String contentType, byte[] body, Map<String, String> headers) {
  public PluginResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599, got " + status);
    }
    headers = Map.copyOf(headers);
  }

  /** 200 with a JSON body. */
  public static PluginResponse json(String json) {
    return new PluginResponse(
        200, "application/json", (json + "\n").getBytes(StandardCharsets.UTF_8), Map.of());
  }

  /** 200 with a plain-text body. */
  public static PluginResponse text(String text) {
    return new PluginResponse(
        200, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
  }
}
