package dev.tally.ipld;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * DAG-JSON float text: the shortest decimal that reads back to the same double, laid out like
 * Rust's ryu / serde_json (which the codec fixtures match): plain notation for magnitudes in [1e-5,
 * 1e16), exponent notation otherwise ({@code 8.940696716308594e-8}, {@code 1e21}), and always a
 * decimal point or exponent so a float never reads back as an integer ({@code 1.0}).
 */
final class JsonNumbers {
  private JsonNumbers() {}

  static String formatDouble(double d) {
    if (d == 0) {
      return (Double.doubleToRawLongBits(d) < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(Math.abs(d)).stripTrailingZeros();
    String digits = shortest.unscaledValue().toString();
    int length = digits.length();
    int k = -shortest.scale(); // value = digits * 10^k
    int kk = length + k; // 10^(kk-1) <= value < 10^kk
    StringBuilder sb = new StringBuilder(length + 8);
    if (d < 0) {
      sb.append('-');
    }
    if (k >= 0 && kk <= 16) {
      sb.append(digits);
      sb.append("0".repeat(k));
      sb.append(".0");
    } else if (kk > 0 && kk <= 16) {
      sb.append(digits, 0, kk).append('.').append(digits, kk, length);
    } else if (kk > -5 && kk <= 0) {
      sb.append("0.").append("0".repeat(-kk)).append(digits);
    } else {
      sb.append(digits.charAt(0));
      if (length > 1) {
        sb.append('.').append(digits, 1, length);
      }
      sb.append('e').append(kk - 1);
    }
    return sb.toString();
  }

  /**
   * The shortest decimal that parses back to {@code v} (positive, finite). Of the two neighbours at
   * each precision the closer one wins, which also handles the asymmetric rounding interval at
   * powers of two.
   */
  private static BigDecimal shortest(double v) {
    BigDecimal exact = new BigDecimal(v);
    for (int p = 1; p < 17; p++) {
      BigDecimal lo = exact.round(new MathContext(p, RoundingMode.FLOOR));
      BigDecimal hi = exact.round(new MathContext(p, RoundingMode.CEILING));
      boolean loOk = lo.doubleValue() == v;
      boolean hiOk = hi.doubleValue() == v;
      if (loOk && hiOk) {
        int cmp = exact.subtract(lo).compareTo(hi.subtract(exact));
        return cmp <= 0 ? lo : hi;
      }
      if (loOk) {
        return lo;
      }
      if (hiOk) {
        return hi;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }
}
