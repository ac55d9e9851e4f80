package dev.tally.multiformats;

import java.util.HashMap;
import java.util.Map;

/** base256emoji: one emoji code point per byte, alphabet as in the multibase spec. */
final class Base256EmojiCodec implements BaseCodec {
  private static final String ALPHABET =
      "🚀🪐☄🛰🌌🌑🌒🌓🌔🌕🌖🌗🌘🌍🌏🌎🐉☀💻🖥💾💿😂❤😍🤣😊🙏💕😭😘👍😅👏😁🔥🥰💔💖💙😢🤔😆🙄💪😉☺👌🤗💜😔😎😇🌹🤦🎉💞✌✨🤷"
          + "😱😌🌸🙌😋💗💚😏💛🙂💓🤩😄😀🖤😃💯🙈👇🎶😒🤭❣😜💋👀😪😑💥🙋😞😩😡🤪👊🥳😥🤤👉💃😳✋😚😝😴🌟😬🙃🍀🌷😻😓⭐"
          + "✅🥺🌈😈🤘💦✔😣🏃💐☹🎊💘😠☝😕🌺🎂🌻😐🖕💝🙊😹🗣💫💀👑🎵🤞😛🔴😤🌼😫⚽🤙☕🏆🤫👈😮🙆🍻🍃🐶💁😲🌿🧡🎁⚡🌞"
          + "🎈❌✊👋😰🤨😶🤝🚶💰🍓💢🤟🙁🚨💨🤬✈🎀🍺🤓😙💟🌱😖👶🥴▶➡❓💎💸⬇😨🌚🦋😷🕺⚠🙅😟😵👎🤲🤠🤧📌🔵💅🧐🐾🍒😗🤑"
          + "🌊🤯🐷☎💧😯💆👆🎤🙇🍑❄🌴💣🐸💌📍🥀🤢👅💡💩👐📸👻🤐🤮🎼🥵🚩🍎🍊👼💍📣🥂";

  private static final int[] TO_CODE_POINT = ALPHABET.codePoints().toArray();
  private static final Map<Integer, Integer> TO_BYTE = new HashMap<>();

  static {
    if (TO_CODE_POINT.length != 256) {
      throw new IllegalStateException(
          "base256emoji alphabet has " + TO_CODE_POINT.length + " code points, expected 256");
    }
    for (int i = 0; i < 256; i++) {
      TO_BYTE.put(TO_CODE_POINT[i], i);
    }
  }

  @Override
  public int maxEncodedLength(int len) {
    return len * 2;
  }

  @Override
  public void encode(byte[] data, int off, int len, StringBuilder out) {
    for (int i = off; i < off + len; i++) {
      out.appendCodePoint(TO_CODE_POINT[data[i] & 0xFF]);
    }
  }

  @Override
  public byte[] decode(String s, int from) {
    byte[] buf = new byte[s.length() - from];
    int n = 0;
    for (int i = from; i < s.length(); ) {
      int cp = s.codePointAt(i);
      Integer b = TO_BYTE.get(cp);
      if (b == null) {
        throw Rfc4648Codec.invalidChar(s, i);
      }
      buf[n++] = (byte) (int) b;
      i += Character.charCount(cp);
    }
    return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
  }
}
