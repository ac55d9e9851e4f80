package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tally dag} against the IPLD codec fixtures (expected CIDs are the fixtures' names). */
class DagCliTest {
  private static final String FIXTURES = "/ipld-codec-fixtures/fixtures/";

  @TempDir Path tmp;

  private static byte[] fixture(String dir, String file) throws IOException {
    try (InputStream in = DagCliTest.class.getResourceAsStream(FIXTURES + dir + "/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + dir + "/" + file);
      }
      return in.readAllBytes();
    }
  }

  @Test
  void putStoresDagJsonAsDagCborUnderTheFixtureCid() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    byte[] json =
        fixture(
            "map-with_complex_entries",
            "baguqeerayn5yb7xbzn7uohi4mji43ukajlmigatpoqskccsb6inxjkay44xq.dag-json");
    Cli.Result put = cli.runWithInput(json, "dag", "put");
    assertEquals(0, put.code(), put.stderr());
    String cid = "bafyreia3jgnpn6w3wpvdc7qlyv7rkqjmxrrdaqohtgmwwje5mbpcef6hkq";
    assertEquals(List.of(cid), put.lines());
    byte[] cbor = fixture("map-with_complex_entries", cid + ".dag-cbor");
    assertArrayEquals(cbor, cli.run("block", "get", cid).stdoutBytes());
    assertArrayEquals(json, cli.run("dag", "get", cid).stdoutBytes());
  }

  @Test
  void putTakesSeveralFilesAndPrintsOneCidPerFileInOrder() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    Path a = tmp.resolve("a.json");
    Path b = tmp.resolve("b.json");
    Files.write(
        a,
        fixture("int-2", "baguqeera2rzv4orglylo5yb7lfyyxg25amazyb6yw3cr7eg2hjtg53atvm2q.dag-json"));
    Files.write(
        b,
        fixture("false", "baguqeera7s6pczmqrxiyvhsj677spaibo3ny5h3dwq2see3uczsciure7cva.dag-json"));
    Cli.Result put = cli.run("dag", "put", a.toString(), b.toString());
    assertEquals(0, put.code(), put.stderr());
    assertEquals(
        List.of(
            "bafyreig3yg2msah74sgvow25uxddqbabex3f3mh6hysess3w5kmgiv6zqy",
            "bafyreibac77tiyjzkzzkucve6zejj7jpswslcihcnehisulfnv423qxo2i"),
        put.lines());
  }

  @Test
  void putWithDagPbStoreCodecMatchesTheDagPbFixture() throws IOException {
    Cli cli = new Cli(tmp.resolve("repo"));
    String dir = "dagpb_2link+data";
    byte[] json =
        fixture(dir, "baguqeerasu2dlp3l3b6xswyh45iegkn3qamarjdygorldhucn3x4kfeafmpa.dag-json");
    Cli.Result put = cli.runWithInput(json, "dag", "put", "--store-codec", "dag-pb");
    assertEquals(0, put.code(), put.stderr());
    assertEquals(
        List.of("bafybeibh647pmxyksmdm24uad6b5f7tx4dhvilzbg2fiqgzll4yek7g7y4"), put.lines());
  }

  @Test
  void getFollowsAPathThroughMapsAndLinks() {
    Cli cli = new Cli(tmp.resolve("repo"));
    String leaf =
        cli.runWithInput(bytes("{\"amount\":{\"minor\":10000,\"currency\":\"EUR\"}}"), "dag", "put")
            .lines()
            .get(0);
    String root =
        cli.runWithInput(bytes("{\"loan\":{\"/\":\"" + leaf + "\"},\"n\":[1,2,3]}"), "dag", "put")
            .lines()
            .get(0);
    assertEquals("\"EUR\"", cli.run("dag", "get", root + "/loan/amount/currency").stdout());
    assertEquals("3", cli.run("dag", "get", "/ipfs/" + root + "/n/2").stdout());
    Cli.Result missing = cli.run("dag", "get", root + "/nope");
    assertEquals(1, missing.code());
    assertTrue(missing.stderr().contains("no link named \"nope\""), missing.stderr());
  }

  @Test
  void exportThenImportIntoAnotherRepoCarriesTheWholeDag() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String leaf = a.runWithInput(bytes("{\"x\":1}"), "dag", "put").lines().get(0);
    String root =
        a.runWithInput(bytes("{\"l\":[{\"/\":\"" + leaf + "\"}]}"), "dag", "put").lines().get(0);
    Cli.Result export = a.run("dag", "export", root);
    assertEquals(0, export.code(), export.stderr());
    Path car = tmp.resolve("dag.car");
    Files.write(car, export.stdoutBytes());

    Cli b = new Cli(tmp.resolve("b"));
    Cli.Result imported = b.run("dag", "import", "--stats", car.toString());
    assertEquals(0, imported.code(), imported.stderr());
    // Kubo's order: the pinned roots, then the stats.
    assertEquals("Pinned root\t" + root + "\tsuccess", imported.lines().get(0));
    assertTrue(imported.lines().get(1).startsWith("Imported 2 blocks"), imported.stdout());
    assertEquals("1", b.run("dag", "get", root + "/l/0/x").stdout());
  }

  @Test
  void importRefusesACarWhoseBlockDoesNotMatchItsCid() throws IOException {
    Cli a = new Cli(tmp.resolve("a"));
    String root = a.runWithInput(bytes("{\"x\":\"abc\"}"), "dag", "put").lines().get(0);
    byte[] car = a.run("dag", "export", root).stdoutBytes();
    car[car.length - 1] ^= 0x01; // flip a bit of the block's last byte
    Path file = tmp.resolve("bad.car");
    Files.write(file, car);
    Cli b = new Cli(tmp.resolve("b"));
    Cli.Result r = b.run("dag", "import", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.stderr().startsWith("Error: ") && r.stderr().contains(root), r.stderr());
    assertEquals(1, b.run("block", "stat", root).code(), "nothing of the bad block was stored");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
