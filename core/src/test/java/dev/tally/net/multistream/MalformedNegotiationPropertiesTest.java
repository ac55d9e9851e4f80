package dev.tally.net.multistream;

import static dev.tally.testing.Hostile.check;
import static dev.tally.testing.Hostile.variant;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * multistream-select messages mutated from a valid negotiation (so length prefixes, newlines and
 * names are hit, and huge varints are spliced in): only {@link MultistreamException}, and memory
 * bounded by what was received.
 */
class MalformedNegotiationPropertiesTest {

  @Property(tries = 400, seed = "4151")
  void mutatedNegotiationsFailOnlyWithMultistreamException(@ForAll long seed) {
    Random r = new Random(seed);
    Buffer valid = Buffer.buffer();
    for (String m : new String[] {"/multistream/1.0.0", "/yamux/1.0.0", "na", "/ipfs/id/1.0.0"}) {
      byte[] line = (m + "\n").getBytes(StandardCharsets.UTF_8);
      valid.appendBytes(dev.tally.multiformats.Varint.encode(line.length)).appendBytes(line);
    }
    byte[] input = variant(valid.getBytes(), r);
    check(
        MultistreamException.class,
        input,
        b -> {
          MessageReader reader = new MessageReader(1024);
          reader.append(Buffer.buffer(b));
          while (reader.next().isPresent()) {
            // drain
          }
        });
  }
}
