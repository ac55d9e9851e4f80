package dev.tally.ipld;

/** Builds decoding errors whose message names the codec, the problem and the byte offset. */
final class Errors {
  private Errors() {}

  static CodecException at(String codec, long offset, String problem) {
    return new CodecException(codec + ": " + problem + " at byte " + offset);
  }

  static CodecException at(String codec, long offset, String problem, Throwable cause) {
    return new CodecException(codec + ": " + problem + " at byte " + offset, cause);
  }
}
