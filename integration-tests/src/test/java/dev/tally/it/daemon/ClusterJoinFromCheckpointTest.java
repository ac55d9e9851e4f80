package dev.tally.it.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.daemon.Daemon;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A brand-new daemon joins a cluster whose log has a final checkpoint (ADR 027): its peers offer
 * the checkpoint during log sync, it loads the pinset from the checkpoint's snapshot over the
 * exchange and folds only the entries after it, and its pinset equals the other members'.
 */
class ClusterJoinFromCheckpointTest {
  private static final int PINS = 600;

  @TempDir Path temp;

  private ClusterDaemons daemons;

  @BeforeEach
  void setUp() {
    daemons = new ClusterDaemons(temp);
  }

  @AfterEach
  void stopAll() {
    daemons.close();
  }

  /** An identity CID: its block is its own bytes, so every member "pins" it without a fetch. */
  private static String cid(int i) {
    byte[] data = ("pin " + i).getBytes(StandardCharsets.UTF_8);
    return Cid.v1(Multicodec.RAW, Multihash.of(Multicodec.IDENTITY, data)).toString();
  }

  /** CID → name of every pin {@code d} lists. */
  private Map<String, String> pins(Daemon d) throws Exception {
    JsonArray pins = daemons.json(d, "cluster/pin/ls", "").getJsonArray("Pins");
    Map<String, String> out = new TreeMap<>();
    for (int i = 0; i < pins.size(); i++) {
      JsonObject p = pins.getJsonObject(i);
      out.put(p.getString("Cid"), p.getString("Name"));
    }
    return out;
  }

  @Test
  void aNewDaemonLoadsThePinsetFromTheCheckpointAndFoldsOnlyWhatFollows() throws Exception {
    Daemon a = daemons.start("a");
    Daemon b = daemons.start("b");
    daemons.formCluster(List.of(a, b));
    for (int i = 0; i < PINS; i++) {
      daemons.json(
          a,
          "cluster/pin/add",
          Map.of("arg", cid(i), "name", "p" + i, "replication-min", "1", "replication-max", "1"));
    }
    JsonObject checkpoint = daemons.json(a, "cluster/checkpoint", "");
    assertEquals("final", checkpoint.getString("Status"), checkpoint.encode());
    daemons.json(a, "cluster/pin/add", Map.of("arg", cid(PINS), "name", "after"));
    daemons.json(a, "cluster/pin/rm", cid(0));
    ClusterDaemons.waitFor(
        "b holds every pin", () -> pins(b).size() == PINS && pins(b).containsKey(cid(PINS)));

    Daemon c = daemons.start("c");
    for (Daemon d : List.of(a, b)) {
      String swarm = daemons.json(d, "id", "").getJsonArray("Addresses").getString(0);
      daemons.json(c, "swarm/connect", swarm);
    }
    daemons.json(a, "cluster/admit", ClusterDaemons.id(c));
    String cluster = daemons.json(a, "cluster/info", "").getString("Id");
    daemons.json(c, "cluster/join", cluster);

    ClusterDaemons.waitFor(
        "c loaded the pinset from the checkpoint's snapshot",
        () -> daemons.json(c, "cluster/info", "").containsKey("LoadedFrom"));
    JsonObject loaded = daemons.json(c, "cluster/info", "").getJsonObject("LoadedFrom");
    assertEquals(checkpoint.getString("Cid"), loaded.getString("Cid"));
    assertEquals(checkpoint.getString("StateRoot"), loaded.getString("StateRoot"));

    ClusterDaemons.waitFor(
        "c's pinset equals a's and b's",
        () -> {
          Map<String, String> expected = pins(a);
          return expected.equals(pins(c)) && expected.equals(pins(b));
        });
    Map<String, String> listed = pins(c);
    assertEquals(PINS, listed.size(), "600 pins, one removed, one added after the checkpoint");
    assertEquals("after", listed.get(cid(PINS)));
    assertTrue(!listed.containsKey(cid(0)));
    ClusterDaemons.waitFor(
        "c replicated the whole log behind the checkpoint",
        () ->
            daemons.json(c, "cluster/info", "").getLong("LogEntries")
                > checkpoint.getLong("Count"));
    JsonObject info = daemons.json(c, "cluster/info", "");
    long folded = info.getLong("Folded");
    long total = daemons.json(a, "cluster/info", "").getLong("Folded");
    // a folded every pin (600) and every heartbeat; c only what came after the checkpoint.
    assertTrue(total > PINS, "a folded " + total);
    assertTrue(
        folded < total - PINS,
        "c folded " + folded + " records of " + info.getLong("LogEntries") + " entries");
  }
}
