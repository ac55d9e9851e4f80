package dev.tally.node;

import dev.tally.blockstore.Blockstore;
import dev.tally.crypto.PublicKey;
import dev.tally.multiformats.Multiaddr;
import dev.tally.storage.gc.BlockLeases;
import dev.tally.storage.pin.Pinner;
import dev.tally.storage.repo.RepoStat;
import dev.tally.unixfs.Profile;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the RPC API and the gateway serve from. Every method of {@link #blocks()} and {@link
 * #pins()} may block: call them from a worker thread, never from an event loop.
 *
 * @param blocks the repo's blockstore
 * @param pins the repo's pins (GC roots)
 * @param leases keep blocks of an operation in progress from a concurrent GC until pinned
 * @param publicKey the node identity's public key (its peer id derives from it)
 * @param agentVersion {@code tally/<version>}, as {@code id} reports it
 * @param swarmAddresses where peers can reach this node (empty while the node runs without its
 *     libp2p host)
 * @param importProfile the CID profile {@code add} starts from (the repo's {@code import.profile})
 * @param repoStat the repo's object count and sizes (blocking)
 * @param shutdown asks the daemon to stop; returns at once
 * @param admin the repo's config, garbage collection and verification
 */
public record Node(
    Blockstore blocks,
    Pinner pins,
    BlockLeases leases,
    PublicKey publicKey,
    String agentVersion,
    List<Multiaddr> swarmAddresses,
    Profile importProfile,
    Supplier<RepoStat> repoStat,
    Runnable shutdown,
    RepoAdmin admin) {
  public Node {
    swarmAddresses = List.copyOf(swarmAddresses);
  }
}
