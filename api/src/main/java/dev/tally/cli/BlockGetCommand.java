package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code tally block get CID}: writes the block's raw bytes to stdout. */
@Command(name = "get", description = "Get a raw IPFS block.")
final class BlockGetCommand implements java.util.concurrent.Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "CID", description = "The CID of an existing block.")
  String cid;

  @Override
  public Integer call() throws IOException {
    Cid key = Cid.parse(cid);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try (java.io.InputStream body = daemon.get().post("block/get", Params.of().add("arg", key))) {
        body.transferTo(Io.current().out);
      }
      Io.current().out.flush();
      return 0;
    }
    try (Repo r = repo.open()) {
      Block block = Blocks.require(r, key);
      block.writeTo(Io.current().out);
      Io.current().out.flush();
    }
    return 0;
  }
}
