package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.ipld.Codec;
import dev.tally.ipld.Codecs;
import dev.tally.ipld.IpldNode;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tally dag get CID[/path]}: prints the node (or the value at the path) in dag-json. */
@Command(name = "get", description = "Get a DAG node (or a value inside it by path).")
final class DagGetCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "REF", description = "CID, optionally followed by /path/inside.")
  String ref;

  @Option(
      names = "--output-codec",
      paramLabel = "CODEC",
      description = "Output codec (default dag-json).")
  String outputCodec = "dag-json";

  @Override
  public Integer call() throws IOException {
    Codec out = DagPutCommand.codec(outputCodec);
    DagPath path = DagPath.parse(ref);
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      try (java.io.InputStream body =
          daemon
              .get()
              .post("dag/get", Params.of().add("arg", ref).add("output-codec", outputCodec))) {
        body.transferTo(Io.current().out);
      }
      Io.current().out.flush();
      return 0;
    }
    try (Repo r = repo.open()) {
      Block root = Blocks.require(r, path.root());
      IpldNode node = Codecs.require(root.cid().codec()).decode(root.bytes());
      IpldNode value =
          path.resolve(
              node,
              cid -> {
                Block b = Blocks.require(r, cid);
                return Codecs.require(cid.codec()).decode(b.bytes());
              });
      Io.current().out.write(out.encode(value));
      Io.current().out.flush();
    }
    return 0;
  }
}
