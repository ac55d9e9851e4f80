package dev.tally.plugins.delinquency;

import java.util.ArrayList;
import java.util.List;

/**
 * Arrears buckets by days past due. Configured as the upper bounds of the overdue buckets ({@code
 * "30,60,90"}, the default of RECORDS.md): current (0), 1–30, 31–60, 61–90, 91+.
 */
record Buckets(List<Integer> bounds) {
  static final Buckets DEFAULT = new Buckets(List.of(30, 60, 90));

  Buckets {
    bounds = List.copyOf(bounds);
    int previous = 0;
    for (int b : bounds) {
      if (b <= previous) {
        throw new IllegalArgumentException(
            "delinquency buckets must be increasing day counts above 0, got " + bounds);
      }
      previous = b;
    }
  }

  /** Parses {@code "30,60,90"}. */
  static Buckets parse(String text) {
    List<Integer> bounds = new ArrayList<>();
    for (String s : text.split(",")) {
      try {
        bounds.add(Integer.parseInt(s.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "delinquency buckets must be day counts such as \"30,60,90\", got \"" + text + "\"");
      }
    }
    return new Buckets(bounds);
  }

  int count() {
    return bounds.size() + 2;
  }

  /** The bucket of a loan {@code days} past due: 0 is current. */
  int of(int days) {
    if (days <= 0) {
      return 0;
    }
    for (int i = 0; i < bounds.size(); i++) {
      if (days <= bounds.get(i)) {
        return i + 1;
      }
    }
    return bounds.size() + 1;
  }

  String label(int bucket) {
    if (bucket == 0) {
      return "current";
    }
    int from = bucket == 1 ? 1 : bounds.get(bucket - 2) + 1;
    return bucket <= bounds.size() ? from + "-" + bounds.get(bucket - 1) : from + "+";
  }
}
