package dev.tally.lending.state;

import java.util.List;

/**
 * Delinquency buckets by days past due: {@code current} at 0, then one bucket per upper bound, then
 * an open one. The default is current, 1–30, 31–60, 61–90, 91+.
 */
public record Buckets(List<Integer> upperBounds) {
  public static final Buckets DEFAULT = new Buckets(List.of(30, 60, 90));

  public Buckets {
    upperBounds = List.copyOf(upperBounds);
    int prev = 0;
    for (int b : upperBounds) {
      if (b <= prev) {
        throw new IllegalArgumentException("bucket bounds must rise from 1: " + upperBounds);
      }
      prev = b;
    }
  }

  /**
   * The bucket label of {@code daysPastDue}: {@code "current"}, {@code "1-30"}, … {@code "91+"}.
   */
  public String of(int daysPastDue) {
    if (daysPastDue <= 0) {
      return "current";
    }
    int low = 1;
    for (int b : upperBounds) {
      if (daysPastDue <= b) {
        return low + "-" + b;
      }
      low = b + 1;
    }
    return low + "+";
  }

  /** Every label, in order. */
  public List<String> labels() {
    List<String> out = new java.util.ArrayList<>();
    out.add("current");
    int low = 1;
    for (int b : upperBounds) {
      out.add(low + "-" + b);
      low = b + 1;
    }
    out.add(low + "+");
    return out;
  }
}
