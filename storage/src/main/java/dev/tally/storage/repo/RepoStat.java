package dev.tally.storage.repo;

import java.nio.file.Path;

/**
 * What {@code repo stat} reports, as Kubo names it.
 *
 * @param numObjects blocks stored
 * @param repoSize bytes of every file in the repo directory
 * @param storageMax the configured {@code Datastore.StorageMax} in bytes
 * @param version the repo format, e.g. {@code tally-repo@1}
 */
public record RepoStat(
    long numObjects, long repoSize, long storageMax, Path repoPath, String version) {}
