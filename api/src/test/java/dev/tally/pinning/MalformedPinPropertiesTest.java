package dev.tally.pinning;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A Pinning Service API client's {@code Pin} body, mutated from a valid one or nested beyond any
 * sane depth, is refused with an {@link IllegalArgumentException} (the API's 400), never another
 * exception or an error such as a stack overflow.
 */
class MalformedPinPropertiesTest {
  private static final String VALID =
      "{\"cid\":\"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku\","
          + "\"name\":\"n\",\"origins\":[\"/ip4/127.0.0.1/tcp/4001\"],\"meta\":{\"k\":\"v\"}}";

  @Property(tries = 400, seed = "4161")
  void mutatedPinsFailOnlyWithIllegalArgumentException(@ForAll long seed) {
    Random r = new Random(seed);
    String input = VALID;
    for (int i = r.nextInt(3); i >= 0; i--) {
      input = variant(input, r);
    }
    check(IllegalArgumentException.class, input, Pin::parse);
  }

  @Property(tries = 6, seed = "4162")
  void deeplyNestedBodiesFailWithIllegalArgumentException(
      @ForAll @IntRange(min = 1_001, max = 100_000) int depth) {
    String meta = "{\"cid\":\"x\",\"meta\":" + "{\"a\":".repeat(depth);
    String origins = "{\"origins\":" + "[".repeat(depth);
    check(IllegalArgumentException.class, meta, Pin::parse);
    check(IllegalArgumentException.class, origins, Pin::parse);
  }
}
