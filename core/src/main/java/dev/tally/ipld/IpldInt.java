package dev.tally.ipld;

import java.math.BigInteger;

/**
 * A data-model integer in the range DAG-CBOR can carry: -2^64 .. 2^64-1. It is held in CBOR's own
 * form (a sign and an unsigned 64-bit argument; negative values are {@code -1 - argument}) so that
 * the full range needs no {@link BigInteger} and every value has exactly one representation.
 */
public final class IpldInt implements IpldNode {
  static final BigInteger MIN = BigInteger.ONE.shiftLeft(64).negate();
  static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final IpldInt[] SMALL = new IpldInt[256];

  static {
    for (int i = 0; i < SMALL.length; i++) {
      SMALL[i] = new IpldInt(false, i);
    }
  }

  private final boolean negative;
  private final long argument;

  private IpldInt(boolean negative, long argument) {
    this.negative = negative;
    this.argument = argument;
  }

  public static IpldInt of(long value) {
    if (value >= 0) {
      return value < SMALL.length ? SMALL[(int) value] : new IpldInt(false, value);
    }
    return new IpldInt(true, ~value);
  }

  /** The non-negative integer whose unsigned 64-bit representation is {@code bits}. */
  public static IpldInt ofUnsigned(long bits) {
    return bits >= 0 ? of(bits) : new IpldInt(false, bits);
  }

  /** The integer {@code -1 - argument}, with {@code argument} read as unsigned 64-bit. */
  static IpldInt ofNegativeArgument(long argument) {
    return new IpldInt(true, argument);
  }

  public static IpldInt of(BigInteger value) {
    if (value.compareTo(MIN) < 0 || value.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "integer " + value + " is outside the IPLD range -2^64 .. 2^64-1");
    }
    if (value.signum() >= 0) {
      return ofUnsigned(value.longValue());
    }
    return new IpldInt(true, BigInteger.ONE.negate().subtract(value).longValue());
  }

  public boolean isNegative() {
    return negative;
  }

  /** The CBOR argument: the value itself when non-negative, else {@code -1 - value} (unsigned). */
  long argument() {
    return argument;
  }

  /** Whether the value lies in the {@code long} range. */
  public boolean fitsLong() {
    return argument >= 0;
  }

  @Override
  public Kind kind() {
    return Kind.INT;
  }

  @Override
  public long asLong() {
    if (argument < 0) {
      throw new ArithmeticException("integer " + this + " does not fit in a signed 64-bit long");
    }
    return negative ? ~argument : argument;
  }

  @Override
  public BigInteger asBigInteger() {
    if (argument >= 0) {
      return BigInteger.valueOf(negative ? ~argument : argument);
    }
    BigInteger unsigned = new BigInteger(Long.toUnsignedString(argument));
    return negative ? unsigned.add(BigInteger.ONE).negate() : unsigned;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpldInt other && other.negative == negative && other.argument == argument;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(argument) * 31 + (negative ? 1 : 0);
  }

  @Override
  public String toString() {
    if (argument >= 0) {
      return Long.toString(negative ? ~argument : argument);
    }
    return negative ? asBigInteger().toString() : Long.toUnsignedString(argument);
  }
}
