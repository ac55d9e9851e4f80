package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tally.car.CarWriter;
import dev.tally.daemon.RunningDaemon;
import dev.tally.http.HttpLimits;
import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.repo.Repo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code dag import} of a CAR larger than one write batch whose last block does not match its
 * CID: as Kubo's streaming import, the blocks of batches already written stay in the blockstore,
 * but nothing is pinned (roots are pinned only after the whole archive verified), and the next
 * {@code repo gc} removes them. Offline (16 MiB batches) and through a daemon (4 MiB batches).
 */
class PartialDagImportTest {
  @TempDir Path tmp;

  @RegisterExtension final RunningDaemon daemons = new RunningDaemon();

  /** Twenty 1 MiB raw blocks, the first the CAR's root; the last one's bytes are corrupted. */
  private List<Block> blocks;

  private Path corruptCar() throws IOException {
    Random random = new Random(45);
    blocks = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] data = new byte[1 << 20];
      random.nextBytes(data);
      blocks.add(Block.create(Multicodec.RAW, data));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CarWriter car = CarWriter.open(out, List.of(blocks.get(0).cid()));
    for (Block b : blocks) {
      car.write(b);
    }
    car.flush();
    byte[] bytes = out.toByteArray();
    bytes[bytes.length - 1] ^= 0x01; // the last block's last byte
    Path file = tmp.resolve("partial.car");
    Files.write(file, bytes);
    return file;
  }

  private static String ok(Cli.Result r) {
    assertEquals(0, r.code(), r.stderr());
    return r.stdout();
  }

  private void failsKeepingUnpinnedBlocksThatGcRemoves(Cli cli, Path car) {
    Cli.Result imported = cli.run("dag", "import", car.toString());
    assertEquals(1, imported.code(), imported.stdout());
    assertTrue(imported.stderr().contains(blocks.get(19).cid().toString()), imported.stderr());

    String root = blocks.get(0).cid().toString();
    assertFalse(ok(cli.run("pin", "ls")).contains(root), "the root of a failed import is pinned");
    // The first sixteen blocks filled whole batches and were written before the bad one was read.
    for (int i = 0; i < 16; i++) {
      assertEquals(
          0, cli.run("block", "stat", blocks.get(i).cid().toString()).code(), "block " + i);
    }
    for (int i = 16; i < 20; i++) {
      assertEquals(
          1, cli.run("block", "stat", blocks.get(i).cid().toString()).code(), "block " + i);
    }

    String removed = ok(cli.run("repo", "gc"));
    for (int i = 0; i < 16; i++) {
      String cid = blocks.get(i).cid().toString();
      assertTrue(removed.contains(cid), "gc did not remove block " + i + ": " + removed);
      assertEquals(1, cli.run("block", "stat", cid).code(), "block " + i + " after gc");
    }
  }

  @Test
  void offlineAFailedImportPinsNothingAndGcRemovesWhatItWrote() throws IOException {
    Path car = corruptCar();
    Cli cli = new Cli(tmp.resolve("repo"));
    ok(cli.run("init"));
    failsKeepingUnpinnedBlocksThatGcRemoves(cli, car);
  }

  @Test
  void throughADaemonAFailedImportPinsNothingAndGcRemovesWhatItWrote() throws IOException {
    Path car = corruptCar();
    Cli cli = new Cli(tmp.resolve("repo"));
    ok(cli.run("init"));
    for (String key : List.of("Addresses.API", "Addresses.Gateway")) {
      ok(cli.run("config", key, "/ip4/127.0.0.1/tcp/0"));
    }
    ok(cli.run("config", "Addresses.Swarm", "--json", "[\"/ip4/127.0.0.1/tcp/0\"]"));
    daemons.start(Repo.open(tmp.resolve("repo")), HttpLimits.defaults());
    failsKeepingUnpinnedBlocksThatGcRemoves(cli, car);
  }
}
