package dev.tally.ipld;

import dev.tally.multiformats.Cid;
import java.math.BigInteger;
import java.util.List;

/**
 * An immutable value of the IPLD data model. Equality is by value: two maps are equal when they
 * hold the same entries, whatever their order (each codec imposes its own canonical order). {@code
 * toString()} gives the value as DAG-JSON text.
 */
public sealed interface IpldNode
    permits IpldNull,
        IpldBool,
        IpldInt,
        IpldFloat,
        IpldString,
        IpldBytes,
        IpldList,
        IpldMap,
        IpldLink {

  /** The data-model kinds. */
  enum Kind {
    NULL,
    BOOL,
    INT,
    FLOAT,
    STRING,
    BYTES,
    LIST,
    MAP,
    LINK;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  Kind kind();

  static IpldNull ofNull() {
    return IpldNull.INSTANCE;
  }

  static IpldBool of(boolean value) {
    return IpldBool.of(value);
  }

  static IpldInt of(long value) {
    return IpldInt.of(value);
  }

  static IpldInt of(BigInteger value) {
    return IpldInt.of(value);
  }

  static IpldFloat of(double value) {
    return new IpldFloat(value);
  }

  static IpldString of(String value) {
    return IpldString.of(value);
  }

  static IpldBytes of(byte[] value) {
    return IpldBytes.of(value);
  }

  static IpldLink of(Cid cid) {
    return new IpldLink(cid);
  }

  static IpldList list(IpldNode... values) {
    return IpldList.of(List.of(values));
  }

  static IpldList list(List<? extends IpldNode> values) {
    return IpldList.of(values);
  }

  static IpldMap.Builder map() {
    return IpldMap.builder();
  }

  default boolean isNull() {
    return kind() == Kind.NULL;
  }

  default boolean asBool() {
    throw wrongKind(Kind.BOOL);
  }

  /** The integer as a {@code long}; fails when it is a float or lies outside the long range. */
  default long asLong() {
    throw wrongKind(Kind.INT);
  }

  default BigInteger asBigInteger() {
    throw wrongKind(Kind.INT);
  }

  default double asDouble() {
    throw wrongKind(Kind.FLOAT);
  }

  default String asString() {
    throw wrongKind(Kind.STRING);
  }

  /** A copy of the bytes. */
  default byte[] asBytes() {
    throw wrongKind(Kind.BYTES);
  }

  default List<IpldNode> asList() {
    throw wrongKind(Kind.LIST);
  }

  default IpldMap asMap() {
    throw wrongKind(Kind.MAP);
  }

  default Cid asLink() {
    throw wrongKind(Kind.LINK);
  }

  private IllegalStateException wrongKind(Kind expected) {
    return new IllegalStateException(
        "expected a " + expected.label() + " but found a " + kind().label());
  }
}
