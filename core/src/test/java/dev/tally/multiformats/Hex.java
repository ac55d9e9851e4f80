package dev.tally.multiformats;

import java.util.HexFormat;

final class Hex {
  private Hex() {}

  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex);
  }

  static String of(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
