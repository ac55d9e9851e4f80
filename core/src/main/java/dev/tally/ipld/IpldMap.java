package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A data-model map with string keys, kept in the order it was built or decoded in. Equality ignores
 * order; encoders write keys in their codec's canonical order.
 */
public final class IpldMap implements IpldNode {
  static final IpldMap EMPTY = new IpldMap(new String[0], new IpldNode[0]);
  private static final int LINEAR_LOOKUP_MAX = 8;

  private final String[] keys;
  private final IpldNode[] values;
  private volatile Map<String, Integer> index;
  // DAG-CBOR key order, computed on first encode; IDENTITY when already in that order.
  private volatile int[] cborOrder;
  private static final int[] IDENTITY = new int[0];

  private IpldMap(String[] keys, IpldNode[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** Takes ownership of parallel arrays whose keys are distinct and valid Unicode. */
  static IpldMap wrap(String[] keys, IpldNode[] values) {
    return keys.length == 0 ? EMPTY : new IpldMap(keys, values);
  }

  /** As {@link #wrap}, for keys already in DAG-CBOR canonical order (a strict decoder's output). */
  static IpldMap wrapCborOrdered(String[] keys, IpldNode[] values) {
    IpldMap map = wrap(keys, values);
    map.cborOrder = IDENTITY;
    return map;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A map with the entries of {@code entries}, in its iteration order. */
  public static IpldMap of(Map<String, ? extends IpldNode> entries) {
    Builder b = builder();
    entries.forEach(b::put);
    return b.build();
  }

  public int size() {
    return keys.length;
  }

  public boolean isEmpty() {
    return keys.length == 0;
  }

  public Optional<IpldNode> get(String key) {
    int i = indexOf(key);
    return i < 0 ? Optional.empty() : Optional.of(values[i]);
  }

  public boolean containsKey(String key) {
    return indexOf(key) >= 0;
  }

  /** The keys in map order. */
  public List<String> keys() {
    return Collections.unmodifiableList(Arrays.asList(keys));
  }

  /** The entries in map order. */
  public List<Map.Entry<String, IpldNode>> entries() {
    List<Map.Entry<String, IpldNode>> out = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      out.add(new AbstractMap.SimpleImmutableEntry<>(keys[i], values[i]));
    }
    return Collections.unmodifiableList(out);
  }

  /** An unmodifiable {@link Map} view in map order. */
  public Map<String, IpldNode> toJavaMap() {
    Map<String, IpldNode> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      out.put(keys[i], values[i]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** The DAG-CBOR canonical entry order, or null when the map is already in it. */
  int[] cborOrder() {
    int[] order = cborOrder;
    if (order == null) {
      order = computeCborOrder(keys);
      cborOrder = order;
    }
    return order == IDENTITY ? null : order;
  }

  private static int[] computeCborOrder(String[] keys) {
    int n = keys.length;
    int[] lengths = new int[n];
    for (int i = 0; i < n; i++) {
      lengths[i] = Utf8.length(keys[i]);
    }
    boolean sorted = true;
    for (int i = 1; i < n && sorted; i++) {
      sorted = compareCbor(keys, lengths, i - 1, i) < 0;
    }
    if (sorted) {
      return IDENTITY;
    }
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = i;
    }
    Arrays.sort(boxed, (a, b) -> compareCbor(keys, lengths, a, b));
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = boxed[i];
    }
    return order;
  }

  private static int compareCbor(String[] keys, int[] lengths, int a, int b) {
    return lengths[a] != lengths[b] ? lengths[a] - lengths[b] : Utf8.compareBytes(keys[a], keys[b]);
  }

  String[] keyArray() {
    return keys;
  }

  IpldNode[] valueArray() {
    return values;
  }

  private int indexOf(String key) {
    if (keys.length <= LINEAR_LOOKUP_MAX) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i].equals(key)) {
          return i;
        }
      }
      return -1;
    }
    Map<String, Integer> idx = index;
    if (idx == null) {
      idx = new HashMap<>(keys.length * 2);
      for (int i = 0; i < keys.length; i++) {
        idx.put(keys[i], i);
      }
      index = idx;
    }
    Integer i = idx.get(key);
    return i == null ? -1 : i;
  }

  @Override
  public Kind kind() {
    return Kind.MAP;
  }

  @Override
  public IpldMap asMap() {
    return this;
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof IpldMap other) || other.keys.length != keys.length) {
      return false;
    }
    if (Arrays.equals(other.keys, keys)) {
      return Arrays.equals(other.values, values);
    }
    for (int i = 0; i < keys.length; i++) {
      int j = other.indexOf(keys[i]);
      if (j < 0 || !values[i].equals(other.values[j])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < keys.length; i++) {
      h += keys[i].hashCode() ^ values[i].hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return new String(DagJsonWriter.debugText(this), StandardCharsets.UTF_8);
  }

  /** Builds a map in insertion order; refuses duplicate keys. */
  public static final class Builder {
    private final List<String> keys = new ArrayList<>();
    private final List<IpldNode> values = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    private Builder() {}

    public Builder put(String key, IpldNode value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value of " + key);
      int bad = Utf8.unpairedSurrogateIndex(key);
      if (bad >= 0) {
        throw new IllegalArgumentException(
            "map key has an unpaired surrogate at index " + bad + "; keys are valid Unicode");
      }
      if (!seen.add(key)) {
        throw new IllegalArgumentException("duplicate map key \"" + key + "\"");
      }
      keys.add(key);
      values.add(value);
      return this;
    }

    public Builder put(String key, String value) {
      return put(key, IpldString.of(value));
    }

    public Builder put(String key, long value) {
      return put(key, IpldInt.of(value));
    }

    public Builder put(String key, boolean value) {
      return put(key, IpldBool.of(value));
    }

    public Builder put(String key, byte[] value) {
      return put(key, IpldBytes.of(value));
    }

    public Builder put(String key, Cid value) {
      return put(key, new IpldLink(value));
    }

    public IpldMap build() {
      return wrap(keys.toArray(new String[0]), values.toArray(new IpldNode[0]));
    }
  }
}
