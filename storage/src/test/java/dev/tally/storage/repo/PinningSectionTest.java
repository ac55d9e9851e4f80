package dev.tally.storage.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PinningSectionTest {
  @Test
  void defaultsToTheClusterWhenAMemberWithTwoToThreeReplicas() {
    PinningSection s = RepoConfig.parse("{}").pinning();
    assertEquals("auto", s.backend());
    assertEquals(2, s.replicationMin());
    assertEquals(3, s.replicationMax());
  }

  @Test
  void readsAndRoundTripsTheSection() {
    RepoConfig config =
        RepoConfig.parse(
            "{\"PinningService\":{\"Backend\":\"cluster\",\"ReplicationMin\":1,"
                + "\"ReplicationMax\":5}}");
    assertEquals(new PinningSection("cluster", 1, 5), config.pinning());
    assertEquals(config, RepoConfig.parse(config.toJson()));
  }

  @Test
  void refusesBadValuesNamingTheKey() {
    for (String bad :
        new String[] {
          "{\"Backend\":\"s3\"}",
          "{\"ReplicationMin\":0}",
          "{\"ReplicationMin\":3,\"ReplicationMax\":2}",
          "{\"ReplicationMax\":1025}",
          "{\"ReplicationMin\":\"2\"}",
          "{\"Replication\":2}"
        }) {
      RepoException e =
          assertThrows(
              RepoException.class, () -> RepoConfig.parse("{\"PinningService\":" + bad + "}"));
      assertTrue(e.getMessage().contains("PinningService."), bad + ": " + e.getMessage());
    }
  }

  @Test
  void isSetByDottedKeyAsTallyConfigDoes() {
    RepoConfig config = ConfigKeys.set(RepoConfig.defaults(), "PinningService.ReplicationMin", 3);
    assertEquals(3, config.pinning().replicationMin());
    assertThrows(
        RepoException.class,
        () -> ConfigKeys.set(RepoConfig.defaults(), "PinningService.ReplicationMin", 4));
  }
}
