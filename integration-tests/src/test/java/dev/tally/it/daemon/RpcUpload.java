package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A minimal multipart {@code /api/v0/add} client, as curl -F does it. */
final class RpcUpload {
  private static final String BOUNDARY = "tally-it-boundary-7f3a";

  private RpcUpload() {}

  static HttpResponse<String> post(String apiUrl, String command, String name, byte[] data)
      throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(data);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl + "/api/v0/" + command))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  static void add(String apiUrl, String name, byte[] data)
      throws IOException, InterruptedException {
    HttpResponse<String> response = post(apiUrl, "add", name, data);
    assertEquals(200, response.statusCode(), response.body());
  }

  /**
   * Adds files named by '/'-separated paths (their directories implied) in one upload, as {@code
   * curl -F file=@a;filename=dir%2Fa} does; answers the last line (the top directory).
   */
  static String addTree(String apiUrl, java.util.Map<String, byte[]> files)
      throws IOException, InterruptedException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var file : files.entrySet()) {
      body.writeBytes(
          ("--"
                  + BOUNDARY
                  + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                  + java.net.URLEncoder.encode(file.getKey(), StandardCharsets.UTF_8)
                  + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(file.getValue());
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(apiUrl + "/api/v0/add"))
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    List<String> lines = response.body().lines().toList();
    return lines.get(lines.size() - 1);
  }
}
