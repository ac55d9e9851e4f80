package dev.tally.ipld;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** A data-model list. */
public final class IpldList implements IpldNode {
  static final IpldList EMPTY = new IpldList(new IpldNode[0]);

  private final IpldNode[] values;

  private IpldList(IpldNode[] values) {
    this.values = values;
  }

  public static IpldList of(List<? extends IpldNode> values) {
    IpldNode[] copy = values.toArray(new IpldNode[0]);
    for (int i = 0; i < copy.length; i++) {
      if (copy[i] == null) {
        throw new NullPointerException("list element " + i + " is null; use IpldNode.ofNull()");
      }
    }
    return wrap(copy);
  }

  /** Takes ownership of a null-free array. */
  static IpldList wrap(IpldNode[] values) {
    return values.length == 0 ? EMPTY : new IpldList(values);
  }

  public int size() {
    return values.length;
  }

  public IpldNode get(int index) {
    return values[index];
  }

  /** The internal array, for encoders only: never modify or expose it. */
  IpldNode[] array() {
    return values;
  }

  @Override
  public Kind kind() {
    return Kind.LIST;
  }

  @Override
  public List<IpldNode> asList() {
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpldList other && Arrays.equals(other.values, values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return new String(DagJsonWriter.debugText(this), StandardCharsets.UTF_8);
  }
}
