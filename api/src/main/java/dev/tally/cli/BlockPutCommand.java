package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally block put}: stores bytes as one block and prints its CID (CIDv1, raw by default).
 */
@Command(name = "put", description = "Store input as an IPFS block.")
final class BlockPutCommand implements java.util.concurrent.Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Files to store (stdin if none).")
  List<String> files = List.of();

  @Option(
      names = "--cid-codec",
      paramLabel = "CODEC",
      description = "Multicodec of the CID (default raw).")
  String cidCodec = "raw";

  @Option(
      names = "--mhtype",
      paramLabel = "HASH",
      description = "Multihash function (default sha2-256).")
  String mhtype = "sha2-256";

  @Option(names = "--allow-big-block", description = "Allow blocks over the 2 MiB exchange limit.")
  boolean allowBigBlock;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    long codec = Multicodec.require(cidCodec).code();
    long hash = Multicodec.require(mhtype).code();
    List<String> sources = files.isEmpty() ? List.of("-") : files;
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      Params params =
          Params.of()
              .add("cid-codec", cidCodec)
              .add("mhtype", mhtype)
              .add("allow-big-block", allowBigBlock);
      ApiClient.lines(
          daemon.get().upload("block/put", params, Uploads.parts(sources)),
          line -> spec.commandLine().getOut().println(line.getString("Key")));
      return 0;
    }
    try (Repo r = repo.openOrInit()) {
      for (String source : sources) {
        byte[] data =
            Inputs.readBounded(
                source,
                allowBigBlock ? Integer.MAX_VALUE - 8 : BlockCommand.MAX_BLOCK_SIZE,
                "big blocks can't be exchanged with other peers; use 'tally add' to chunk"
                    + " large files, or pass --allow-big-block");
        Cid cid = Cid.v1(codec, Multihash.sum(hash, data));
        r.blocks().put(Block.ofOwned(cid, data));
        spec.commandLine().getOut().println(cid);
      }
    }
    return 0;
  }
}
