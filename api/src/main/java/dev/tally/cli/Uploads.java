package dev.tally.cli;

import java.io.BufferedInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command inputs (files, or stdin for "-") as the file parts of one upload to the daemon. */
final class Uploads {
  private Uploads() {}

  static List<ApiClient.Part> parts(List<String> sources) {
    List<ApiClient.Part> parts = new ArrayList<>();
    for (String source : sources) {
      if ("-".equals(source)) {
        // Captured here: the HTTP client opens parts on its own threads, where Io is not set.
        java.io.InputStream stdin = new NonClosingInput(Io.current().in);
        parts.add(new ApiClient.Part("", () -> stdin));
      } else {
        Path path = Path.of(source);
        if (!Files.isRegularFile(path)) {
          throw new IllegalArgumentException("no such file: " + source);
        }
        parts.add(
            new ApiClient.Part(
                path.getFileName().toString(),
                () -> new BufferedInputStream(Files.newInputStream(path), 1 << 16)));
      }
    }
    return parts;
  }
}
