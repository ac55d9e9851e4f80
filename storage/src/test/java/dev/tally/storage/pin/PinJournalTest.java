package dev.tally.storage.pin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Multicodec;
import dev.tally.storage.Database;
import dev.tally.storage.UnsignedBytesKeyType;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.StringDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinJournalTest {
  @TempDir Path tmp;

  private final Block kept = Block.create(Multicodec.RAW, "kept".getBytes(StandardCharsets.UTF_8));
  private final Block gone = Block.create(Multicodec.RAW, "gone".getBytes(StandardCharsets.UTF_8));
  private final Block direct = Block.create(Multicodec.RAW, "dir".getBytes(StandardCharsets.UTF_8));

  private static Set<String> pins(Repo repo) {
    return repo.pins().ls(Optional.empty()).stream()
        .map(p -> p.cid() + " " + p.type() + " " + p.name())
        .collect(Collectors.toSet());
  }

  private Path pinnedRepo() {
    Path dir = tmp.resolve("repo");
    try (Repo repo = Repo.init(dir, RepoConfig.defaults())) {
      repo.blocks().putAll(List.of(kept, gone, direct));
      repo.pins().add(kept.cid(), true, "k");
      repo.pins().add(gone.cid(), true, "");
      repo.pins().rm(gone.cid(), true);
      repo.pins().add(direct.cid(), false, "d");
    }
    return dir;
  }

  @Test
  void restoresPinsTheDatabaseLostAndDropsOnesItWronglyKept() {
    Path dir = pinnedRepo();
    // Roll the pin maps back behind the repo's back, as the crash harness saw a killed MVStore do.
    try (Database db = Database.open(dir.resolve("tally.mv.db"))) {
      for (String name : List.of("pins.recursive", "pins.direct")) {
        MVMap<byte[], String> map =
            db.mvstore()
                .openMap(
                    name,
                    new MVMap.Builder<byte[], String>()
                        .keyType(UnsignedBytesKeyType.INSTANCE)
                        .valueType(StringDataType.INSTANCE));
        db.write(
            "forget pins",
            () -> {
              map.clear();
              return null;
            });
      }
      // ...and keep a pin the journal says was removed.
      MVMap<byte[], String> recursive =
          db.mvstore()
              .openMap(
                  "pins.recursive",
                  new MVMap.Builder<byte[], String>()
                      .keyType(UnsignedBytesKeyType.INSTANCE)
                      .valueType(StringDataType.INSTANCE));
      db.write("resurrect a pin", () -> recursive.put(gone.cid().bytes(), ""));
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Set.of(kept.cid() + " recursive k", direct.cid() + " direct d"), pins(repo));
    }
  }

  @Test
  void aTornJournalTailIsCutAndEverythingBeforeItKept() throws IOException {
    Path dir = pinnedRepo();
    Files.write(
        dir.resolve("pins.journal"), new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Set.of(kept.cid() + " recursive k", direct.cid() + " direct d"), pins(repo));
      repo.pins().add(gone.cid(), true, "again");
    }
    try (Repo repo = Repo.open(dir)) {
      assertEquals(
          Set.of(
              kept.cid() + " recursive k",
              direct.cid() + " direct d",
              gone.cid() + " recursive again"),
          pins(repo));
    }
  }

  @Test
  void aRepoFromBeforeTheJournalKeepsItsPins() throws IOException {
    Path dir = pinnedRepo();
    Files.delete(dir.resolve("pins.journal"));
    try (Repo repo = Repo.open(dir)) {
      assertEquals(Set.of(kept.cid() + " recursive k", direct.cid() + " direct d"), pins(repo));
    }
    assertEquals(true, Files.size(dir.resolve("pins.journal")) > 0);
  }
}
