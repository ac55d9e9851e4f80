package dev.tally.ipld;

/** The data-model null. */
public final class IpldNull implements IpldNode {
  static final IpldNull INSTANCE = new IpldNull();

  private IpldNull() {}

  @Override
  public Kind kind() {
    return Kind.NULL;
  }

  @Override
  public String toString() {
    return "null";
  }
}
