package dev.tally.ipld;

/** A data-model boolean. */
public final class IpldBool implements IpldNode {
  public static final IpldBool TRUE = new IpldBool(true);
  public static final IpldBool FALSE = new IpldBool(false);

  private final boolean value;

  private IpldBool(boolean value) {
    this.value = value;
  }

  public static IpldBool of(boolean value) {
    return value ? TRUE : FALSE;
  }

  public boolean value() {
    return value;
  }

  @Override
  public Kind kind() {
    return Kind.BOOL;
  }

  @Override
  public boolean asBool() {
    return value;
  }

  @Override
  public String toString() {
    return Boolean.toString(value);
  }
}
