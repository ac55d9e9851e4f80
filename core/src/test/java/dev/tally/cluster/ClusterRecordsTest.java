package dev.tally.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.crypto.PeerId;
import dev.tally.ipld.DagJson;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ClusterRecordsTest {
  private static final Cid CID =
      Cid.parse("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
  private static final Cid OTHER = Cid.parse("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u");
  private static final PeerId PEER =
      PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");

  private static String json(ClusterRecord r) {
    return new String(DagJson.encode(r.toNode()), StandardCharsets.UTF_8);
  }

  private static ClusterRecord parse(String json) {
    return ClusterRecords.decode(DagJson.decode(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pinRecordHasTheDocumentedFields() {
    TreeMap<String, String> meta = new TreeMap<>();
    meta.put("owner", "ops");
    PinRecord pin = new PinRecord(CID, "report.pdf", 2, 3, Optional.of(1_800_000_000_000L), meta);
    String expected =
        "{\"cid\":{\"/\":\"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\"},"
            + "\"expires\":1800000000000,\"max\":3,\"meta\":{\"owner\":\"ops\"},\"min\":2,"
            + "\"name\":\"report.pdf\",\"type\":\"cluster/pin\"}";
    assertEquals(expected, json(pin));
    assertEquals(pin, parse(expected));
  }

  /** One record of every kind. */
  static List<ClusterRecord> everyKind() {
    return List.of(
        PinRecord.of(CID, "", 1, 1),
        new UnpinRecord(CID),
        new UpdateRecord(CID, PinRecord.of(OTHER, "v2", 2, 5)),
        new LeaveRecord(PEER),
        new HeartbeatRecord(1_700_000_000_000L, 5L << 30),
        new StateRecord(CID, PinState.FAILED, "no peer sent block x"),
        new SettingsRecord(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20)),
        new SettingsRecord(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20), 7),
        new AuditRecord(PEER, CID, "wrong bytes for block x"));
  }

  @Test
  void everyKindRoundTrips() {
    for (ClusterRecord r : everyKind()) {
      assertEquals(r, ClusterRecords.decode(r.toNode()), json(r));
    }
  }

  @Test
  void auditRecordAndSettingsWithStrikesAreTheDocumentedMaps() {
    assertEquals(
        "{\"cid\":{\"/\":\"QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u\"},"
            + "\"peer\":{\"/\":{\"bytes\":\"ACQIARIgL/o1qZ06PPuxe7fB3FVhsYqNzKTfONxhPqhZw36xM2s\"}},"
            + "\"reason\":\"no answer\",\"type\":\"cluster/audit\"}",
        json(new AuditRecord(PEER, OTHER, "no answer")));
    assertEquals(
        "{\"downAfter\":20000,\"heartbeat\":5000,\"type\":\"cluster/settings\"}",
        json(new SettingsRecord(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20))),
        "the default strikes are left out, as before audits existed");
    assertEquals(
        "{\"downAfter\":20000,\"heartbeat\":5000,\"strikes\":1,\"type\":\"cluster/settings\"}",
        json(
            new SettingsRecord(
                java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(20), 1)));
    ClusterException zero =
        assertThrows(
            ClusterException.class,
            () ->
                parse(
                    "{\"downAfter\":20000,\"heartbeat\":5000,\"strikes\":0,"
                        + "\"type\":\"cluster/settings\"}"));
    assertTrue(zero.getMessage().contains("strikes"), zero.getMessage());
  }

  @Test
  void stateRecordIsTheDocumentedMap() {
    assertEquals(
        "{\"cid\":{\"/\":\"QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u\"},\"error\":\"\","
            + "\"status\":\"pinned\",\"type\":\"cluster/state\"}",
        json(new StateRecord(OTHER, PinState.PINNED, "")));
  }

  @Test
  void rejectsUnknownAndMissingFields() {
    String cid = "{\"/\":\"" + CID + "\"}";
    ClusterException unknown =
        assertThrows(
            ClusterException.class,
            () -> parse("{\"type\":\"cluster/unpin\",\"cid\":" + cid + ",\"why\":\"x\"}"));
    assertTrue(unknown.getMessage().contains("unknown field \"why\""), unknown.getMessage());
    ClusterException missing =
        assertThrows(
            ClusterException.class,
            () -> parse("{\"type\":\"cluster/pin\",\"cid\":" + cid + ",\"name\":\"\",\"min\":1}"));
    assertTrue(missing.getMessage().contains("lacks the field"), missing.getMessage());
    assertThrows(ClusterException.class, () -> parse("{\"type\":\"cluster/nope\"}"));
    assertThrows(ClusterException.class, () -> parse("{\"cid\":" + cid + "}"));
    assertThrows(ClusterException.class, () -> parse("[1,2]"));
  }

  @Test
  void rejectsReplicationOutOfRange() {
    String cid = "{\"/\":\"" + CID + "\"}";
    String base = "{\"type\":\"cluster/pin\",\"cid\":" + cid + ",\"name\":\"\",\"meta\":{},";
    assertThrows(ClusterException.class, () -> parse(base + "\"min\":0,\"max\":1}"));
    assertThrows(ClusterException.class, () -> parse(base + "\"min\":3,\"max\":2}"));
    assertThrows(ClusterException.class, () -> parse(base + "\"min\":1,\"max\":1025}"));
    assertThrows(ClusterException.class, () -> parse(base + "\"min\":1,\"max\":4294967297}"));
    assertThrows(ClusterException.class, () -> parse(base + "\"min\":\"1\",\"max\":1}"));
  }

  @Test
  void rejectsSettingsThatWouldMakeLiveMembersLookDead() {
    assertThrows(
        ClusterException.class,
        () -> parse("{\"type\":\"cluster/settings\",\"heartbeat\":1000,\"downAfter\":1999}"));
    assertThrows(
        ClusterException.class,
        () -> parse("{\"type\":\"cluster/settings\",\"heartbeat\":99,\"downAfter\":1000}"));
    assertEquals(
        new SettingsRecord(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(2)),
        parse("{\"type\":\"cluster/settings\",\"heartbeat\":1000,\"downAfter\":2000}"));
  }

  @Test
  void rejectsAMemberThatIsNotAnEd25519PeerId() {
    // A sha2-256 peer id (an RSA key's) names no key the log could check signatures against.
    byte[] rsa = PeerId.parse("QmWATWQ7fVPP2EFGu71UkfnqhYXDYH566qy47CnJDgvs8u").bytes();
    IpldNode node = IpldNode.map().put("type", "cluster/leave").put("member", rsa).build();
    assertThrows(ClusterException.class, () -> ClusterRecords.decode(node));
    IpldNode junk = IpldNode.map().put("type", "cluster/leave").put("member", new byte[3]).build();
    assertThrows(ClusterException.class, () -> ClusterRecords.decode(junk));
  }
}
