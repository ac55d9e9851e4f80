package dev.tally.ipld;

import java.util.Arrays;

/**
 * DAG-JSON's reserved namespace: maps that would read back as a link or as bytes. The spec makes
 * them unencodable, so the encoder refuses them and the decoder refuses input that spells them.
 */
final class ReservedForms {
  private ReservedForms() {}

  /**
   * True when the bytewise-first key is "/" and its value is a string, or is a map whose
   * bytewise-first key is "bytes" with a string value.
   */
  static boolean isReserved(IpldMap map) {
    int first = firstKey(map.keyArray());
    if (first < 0 || !map.keyArray()[first].equals("/")) {
      return false;
    }
    IpldNode v = map.valueArray()[first];
    if (v.kind() == IpldNode.Kind.STRING) {
      return true;
    }
    if (v.kind() != IpldNode.Kind.MAP) {
      return false;
    }
    IpldMap inner = (IpldMap) v;
    int innerFirst = firstKey(inner.keyArray());
    return innerFirst >= 0
        && inner.keyArray()[innerFirst].equals("bytes")
        && inner.valueArray()[innerFirst].kind() == IpldNode.Kind.STRING;
  }

  private static int firstKey(String[] keys) {
    int best = -1;
    for (int i = 0; i < keys.length; i++) {
      if (best < 0 || Utf8.compareBytes(keys[i], keys[best]) < 0) {
        best = i;
      }
    }
    return best;
  }

  /** Null when {@code keys} are already in UTF-8 byte order, else the sorted index order. */
  static int[] bytewiseOrder(String[] keys) {
    boolean sorted = true;
    for (int i = 1; i < keys.length && sorted; i++) {
      sorted = Utf8.compareBytes(keys[i - 1], keys[i]) < 0;
    }
    if (sorted) {
      return null;
    }
    Integer[] boxed = new Integer[keys.length];
    for (int i = 0; i < boxed.length; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> Utf8.compareBytes(keys[a], keys[b]));
    int[] order = new int[boxed.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = boxed[i];
    }
    return order;
  }
}
