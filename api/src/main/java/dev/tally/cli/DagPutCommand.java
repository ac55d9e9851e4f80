package dev.tally.cli;

import dev.tally.ipld.Block;
import dev.tally.ipld.Codec;
import dev.tally.ipld.Codecs;
import dev.tally.ipld.IpldNode;
import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import dev.tally.storage.repo.Repo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tally dag put}: decodes each input with the input codec, re-encodes it canonically with
 * the store codec and prints one CID per input, in order.
 */
@Command(name = "put", description = "Add DAG nodes to the repo; prints one CID per input.")
final class DagPutCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Inputs (stdin if none).")
  List<String> files = List.of();

  @Option(
      names = "--input-codec",
      paramLabel = "CODEC",
      description = "Codec of the input (default dag-json).")
  String inputCodec = "dag-json";

  @Option(
      names = "--store-codec",
      paramLabel = "CODEC",
      description = "Codec to store with (default dag-cbor).")
  String storeCodec = "dag-cbor";

  @Option(
      names = "--hash",
      paramLabel = "HASH",
      description = "Multihash function (default sha2-256).")
  String hash = "sha2-256";

  @Option(names = "--allow-big-block", description = "Allow blocks over the 2 MiB exchange limit.")
  boolean allowBigBlock;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Codec in = codec(inputCodec);
    Codec store = codec(storeCodec);
    long hashCode = Multicodec.require(hash).code();
    List<String> sources = files.isEmpty() ? List.of("-") : files;
    var daemon = ApiClient.find(repo.path());
    if (daemon.isPresent()) {
      Params params =
          Params.of()
              .add("input-codec", inputCodec)
              .add("store-codec", storeCodec)
              .add("hash", hash)
              .add("allow-big-block", allowBigBlock);
      ApiClient.lines(
          daemon.get().upload("dag/put", params, Uploads.parts(sources)),
          line -> spec.commandLine().getOut().println(line.getJsonObject("Cid").getString("/")));
      return 0;
    }
    // Every input is decoded and checked before anything is stored: all or nothing.
    List<Block> blocks = new ArrayList<>();
    for (String source : sources) {
      byte[] input =
          Inputs.readBounded(source, Integer.MAX_VALUE - 8, "input too large to decode at once");
      IpldNode node = in.decode(input);
      byte[] bytes = store.encode(node);
      if (!allowBigBlock && bytes.length > BlockCommand.MAX_BLOCK_SIZE) {
        throw new IllegalArgumentException(
            "produced block is over 2 MiB: big blocks can't be exchanged with other peers;"
                + " pass --allow-big-block to override");
      }
      blocks.add(Block.ofOwned(Cid.v1(store.code(), Multihash.sum(hashCode, bytes)), bytes));
    }
    try (Repo r = repo.openOrInit()) {
      r.blocks().putAll(blocks);
    }
    for (Block block : blocks) {
      spec.commandLine().getOut().println(block.cid());
    }
    return 0;
  }

  static Codec codec(String name) {
    return Codecs.byName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown codec '" + name + "' (known: raw, dag-pb, dag-cbor, dag-json)"));
  }
}
