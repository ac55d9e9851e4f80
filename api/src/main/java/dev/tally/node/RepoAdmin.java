package dev.tally.node;

import dev.tally.multiformats.Cid;
import dev.tally.storage.gc.GarbageCollector;
import dev.tally.storage.repo.Repo;
import dev.tally.storage.repo.RepoConfig;
import java.util.function.BiConsumer;

/**
 * The repo's maintenance and configuration, as the RPC API's {@code repo/*} and {@code config}
 * commands drive them. Every method may block: call from a worker thread.
 */
public interface RepoAdmin {
  RepoConfig config();

  /** Validates nothing itself: {@code updated} is already a parsed config. */
  void writeConfig(RepoConfig updated);

  GarbageCollector.Result gc(GarbageCollector.Listener listener);

  /** Re-hashes every block; reports each bad one; returns the number checked. */
  long verify(BiConsumer<Cid, String> bad);

  static RepoAdmin of(Repo repo) {
    return new RepoAdmin() {
      @Override
      public RepoConfig config() {
        return repo.config();
      }

      @Override
      public void writeConfig(RepoConfig updated) {
        repo.writeConfig(updated);
      }

      @Override
      public GarbageCollector.Result gc(GarbageCollector.Listener listener) {
        return repo.gc().collect(listener);
      }

      @Override
      public long verify(BiConsumer<Cid, String> bad) {
        return repo.verify(bad);
      }
    };
  }
}
