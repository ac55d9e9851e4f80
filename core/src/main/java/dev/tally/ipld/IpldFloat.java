package dev.tally.ipld;

/**
 * A data-model float (IEEE 754 binary64). NaN and the infinities are not part of the data model.
 * Equality follows {@link Double#compare}, so {@code -0.0} and {@code 0.0} differ, as their
 * encodings do.
 */
public record IpldFloat(double value) implements IpldNode {
  public IpldFloat {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          "the IPLD data model has no NaN or Infinity float, got " + value);
    }
  }

  @Override
  public Kind kind() {
    return Kind.FLOAT;
  }

  @Override
  public double asDouble() {
    return value;
  }

  @Override
  public String toString() {
    return JsonNumbers.formatDouble(value);
  }
}
