package dev.tally.lending.money;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ISO 4217 table shipped with Tally ({@code iso4217.tsv} beside this class). Every peer must
 * round to the same cent, so exponents come from this file and never from the JDK, whose currency
 * data changes between releases. Codes the standard lists without minor units (gold, SDR, the "no
 * currency" code XXX, test codes) are known but refused, with a message that says so.
 */
public final class Currencies {
  private static final String RESOURCE = "iso4217.tsv";
  private static final Map<String, Currency> BY_CODE;
  private static final Set<String> WITHOUT_MINOR_UNITS;

  static {
    Map<String, Currency> byCode = new TreeMap<>();
    Set<String> without = new TreeSet<>();
    try (InputStream in = Currencies.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the ISO 4217 table " + RESOURCE + " is missing");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        if (f.length < 2) {
          throw new IllegalStateException("bad line in " + RESOURCE + ": " + line);
        }
        if (f[1].equals("N.A.")) {
          without.add(f[0]);
        } else {
          byCode.put(f[0], new Currency(f[0], Integer.parseInt(f[1])));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    BY_CODE = Collections.unmodifiableMap(byCode);
    WITHOUT_MINOR_UNITS = Collections.unmodifiableSet(without);
  }

  private Currencies() {}

  /**
   * The currency {@code code}.
   *
   * @throws MoneyException when the code is not in the table or has no minor units
   */
  public static Currency of(String code) {
    Currency c = BY_CODE.get(code);
    if (c != null) {
      return c;
    }
    if (WITHOUT_MINOR_UNITS.contains(code)) {
      throw new MoneyException(
          "currency "
              + code
              + " has no minor units in ISO 4217 (N.A.); loans need a currency such as EUR or USD");
    }
    throw new MoneyException(
        "unknown currency \"" + code + "\"; use an ISO 4217 alphabetic code such as EUR or USD");
  }

  /** The currency {@code code}, or empty when it is unknown or has no minor units. */
  public static Optional<Currency> find(String code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }

  /** Every accepted currency, by code. */
  public static Map<String, Currency> all() {
    return BY_CODE;
  }
}
