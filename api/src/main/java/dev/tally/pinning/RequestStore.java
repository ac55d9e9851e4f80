package dev.tally.pinning;

import dev.tally.storage.Database;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.type.StringDataType;

/**
 * Pin requests on disk: an H2 MVStore file of their own ({@code <repo>/pinning-service.mv.db}),
 * request id to JSON, each change one fsynced commit, so an acknowledged request survives a crash
 * and a change costs one entry, not a rewrite of every request. The session-2 JSON file, if found,
 * is imported once and renamed {@code .imported}. Thread-safe (the database serialises writers).
 */
final class RequestStore implements AutoCloseable {
  static final String FILE = "pinning-service.mv.db";

  /** Where the pinning service kept its requests before this store (one JSON array). */
  static final String OLD_FILE = "pinning-service.json";

  private final Database db;
  private final MVMap<String, String> requests;

  private RequestStore(Database db) {
    this.db = db;
    this.requests =
        db.mvstore()
            .openMap(
                "requests",
                new MVMap.Builder<String, String>()
                    .keyType(StringDataType.INSTANCE)
                    .valueType(StringDataType.INSTANCE));
  }

  /** Opens (creating) the store in {@code dir}, importing the old JSON file if there is one. */
  static RequestStore open(Path dir, int defaultMin, int defaultMax) {
    RequestStore s = new RequestStore(Database.open(dir.resolve(FILE)));
    Path old = dir.resolve(OLD_FILE);
    if (Files.exists(old)) {
      try {
        s.importJson(old, defaultMin, defaultMax);
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
    }
    return s;
  }

  private void importJson(Path old, int defaultMin, int defaultMax) {
    List<PinRequest> found = new ArrayList<>();
    try {
      for (Object o : new JsonArray(Files.readString(old, StandardCharsets.UTF_8))) {
        found.add(PinRequest.fromJson((JsonObject) o, defaultMin, defaultMax));
      }
      putAll(found);
      Files.move(
          old, old.resolveSibling(OLD_FILE + ".imported"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import " + old + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalStateException(old + " is corrupt: " + e.getMessage(), e);
    }
  }

  /** Every stored request. */
  List<PinRequest> all(int defaultMin, int defaultMax) {
    List<PinRequest> out = new ArrayList<>(requests.size());
    requests.forEach(
        (id, json) -> out.add(PinRequest.fromJson(new JsonObject(json), defaultMin, defaultMax)));
    return out;
  }

  /** Stores (adds or overwrites) {@code changed} in one commit. */
  void putAll(Collection<PinRequest> changed) {
    if (changed.isEmpty()) {
      return;
    }
    db.write(
        "store " + changed.size() + " pin requests",
        () -> {
          for (PinRequest r : changed) {
            requests.put(r.requestId(), r.toJson().encode());
          }
          return null;
        });
  }

  /** Adds {@code added} and removes {@code removedId} in one commit (a replace). */
  void swap(PinRequest added, String removedId) {
    db.write(
        "replace pin request " + removedId,
        () -> {
          requests.put(added.requestId(), added.toJson().encode());
          requests.remove(removedId);
          return null;
        });
  }

  void remove(String requestId) {
    db.write(
        "remove pin request " + requestId,
        () -> {
          requests.remove(requestId);
          return null;
        });
  }

  @Override
  public void close() {
    db.close();
  }
}
