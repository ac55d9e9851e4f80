package dev.tally.plugin.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpiVersionTest {
  @Test
  void acceptsTheSameAndOlderMinorVersionsOfTheSameMajor() {
    assertEquals("1.0", SpiVersion.CURRENT);
    assertTrue(SpiVersion.incompatibility("1.0").isEmpty());
  }

  @Test
  void refusesANewerMinorVersionAskingForANodeUpgrade() {
    String why = SpiVersion.incompatibility("1.1").orElseThrow();
    assertTrue(why.contains("needs SPI 1.1") && why.contains("upgrade the node"), why);
  }

  @Test
  void refusesAnotherMajorVersionNamingBoth() {
    String why = SpiVersion.incompatibility("2.0").orElseThrow();
    assertTrue(why.contains("2.0") && why.contains("1.0"), why);
    assertTrue(SpiVersion.incompatibility("0.9").isPresent());
  }

  @Test
  void refusesMalformedVersions() {
    for (String bad : new String[] {"", "1", ".1", "1.", "one.two", "1.0.0"}) {
      assertTrue(SpiVersion.incompatibility(bad).isPresent(), bad);
    }
  }
}
