package dev.tally.plugin.spi.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeadsTest {
  @Test
  void sortsAndDeduplicatesSoEqualSetsAreEqual() {
    Heads a = new Heads(List.of("bafyb", "bafya", "bafyb"));
    assertEquals(List.of("bafya", "bafyb"), a.cids());
    assertEquals(a, new Heads(List.of("bafya", "bafyb")));
  }

  @Test
  void roundTripsThroughText() {
    Heads h = new Heads(List.of("bafyb", "bafya"));
    assertEquals("bafya,bafyb", h.toString());
    assertEquals(h, Heads.parse(h.toString()));
    assertEquals(Heads.NONE, Heads.parse(""));
    assertTrue(Heads.parse(" ").isEmpty());
  }

  @Test
  void refusesTextThatCannotRoundTrip() {
    assertThrows(IllegalArgumentException.class, () -> new Heads(List.of("a,b")));
    assertThrows(IllegalArgumentException.class, () -> new Heads(List.of(" a")));
    assertThrows(IllegalArgumentException.class, () -> Heads.parse("a,,b"));
  }
}
