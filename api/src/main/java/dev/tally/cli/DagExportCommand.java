package dev.tally.cli;

import dev.tally.car.CarWriter;
import dev.tally.ipld.Block;
import dev.tally.ipld.Links;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.repo.Repo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code tally dag export CID}: streams the DAG under CID as a CARv1 to stdout, depth-first in link
 * order, each block once, one block in memory at a time (plus the set of visited hashes).
 */
@Command(name = "export", description = "Streams the selected DAG as a .car stream on stdout.")
final class DagExportCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", description = "Root of the DAG to export.")
  String root;

  @Override
  public Integer call() throws IOException {
    Cid rootCid = Cid.parse(root);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try (java.io.InputStream body =
          daemon.get().post("dag/export", Params.of().add("arg", rootCid))) {
        body.transferTo(Io.current().out);
      }
      Io.current().out.flush();
      return 0;
    }
    try (Repo r = repo.open();
        OutputStream stdout = new BufferedOutputStream(new NonClosing(Io.current().out), 1 << 16);
        CarWriter car = CarWriter.open(stdout, List.of(rootCid))) {
      Set<Multihash> seen = new HashSet<>();
      Deque<Cid> stack = new ArrayDeque<>();
      stack.push(rootCid);
      while (!stack.isEmpty()) {
        Cid cid = stack.pop();
        if (!seen.add(cid.multihash())) {
          continue;
        }
        Block block = Blocks.require(r, cid);
        if (cid.multihash().code() != Multicodec.IDENTITY) {
          car.write(block);
        }
        List<Cid> links = Links.of(cid.codec(), block.bytes());
        for (int i = links.size() - 1; i >= 0; i--) {
          stack.push(links.get(i));
        }
      }
    }
    return 0;
  }
}
