package dev.tally.cli;

import picocli.CommandLine.Option;

/** {@code --enc text|json} of the plugin views (as Kubo's {@code --enc}). */
final class EncodingOption {
  @Option(
      names = "--enc",
      paramLabel = "ENC",
      defaultValue = "text",
      description = "Output: text (a table) or json (the plugin's answer as is). Default: text.")
  String enc;

  boolean json() {
    return switch (enc) {
      case "json" -> true;
      case "text" -> false;
      default -> throw new IllegalArgumentException("--enc must be text or json, got " + enc);
    };
  }
}
