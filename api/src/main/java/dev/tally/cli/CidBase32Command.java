package dev.tally.cli;

import dev.tally.multiformats.Cid;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally cid base32 CID...}: CIDv1 in base32, the form that is safe in subdomains. */
@Command(name = "base32", description = "Convert CIDs to base32 CID version 1.")
final class CidBase32Command implements Runnable {
  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs to convert.")
  List<String> cids;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    for (String text : cids) {
      spec.commandLine().getOut().println(Cid.parse(text).toV1());
    }
  }
}
