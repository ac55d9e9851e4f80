package dev.tally.cli;

import dev.tally.multiformats.Cid;
import dev.tally.multiformats.Multibase;
import dev.tally.multiformats.Multicodec;
import dev.tally.multiformats.Multihash;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tally cid format}: re-encode CIDs with Kubo's format placeholders. */
@Command(
    name = "format",
    description = {
      "Format and convert CIDs in various useful ways.",
      "Placeholders: %% %s %S %b %B %v %V %c %C %h %H %L %m %M %d %D %P (as in Kubo)."
    })
final class CidFormatCommand implements Runnable {
  @Parameters(paramLabel = "CID", arity = "1..*", description = "CIDs to format.")
  List<String> cids;

  @Option(
      names = "-f",
      paramLabel = "FORMAT",
      description = "Printf style format string (default %s).")
  String format = "%s";

  @Option(names = "-v", paramLabel = "VERSION", description = "CID version to convert to (0 or 1).")
  Integer version;

  @Option(names = "--mc", paramLabel = "CODEC", description = "Multicodec name to set on the CID.")
  String codec;

  @Option(names = "-b", paramLabel = "BASE", description = "Multibase to display the CID in.")
  String base;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    for (String text : cids) {
      Cid cid = Cid.parse(text);
      if (codec != null) {
        long code = Multicodec.require(codec).code();
        cid = cid.version() == 0 && code == Multicodec.DAG_PB ? cid : Cid.v1(code, cid.multihash());
      }
      if (version != null) {
        cid =
            switch (version) {
              case 0 -> cid.toV0();
              case 1 -> cid.toV1();
              default -> throw new IllegalArgumentException("invalid cid version: " + version);
            };
      }
      Multibase mb = chooseBase(cid);
      spec.commandLine().getOut().println(render(format, cid, mb));
    }
  }

  private Multibase chooseBase(Cid cid) {
    if (base == null) {
      return cid.version() == 0 ? Multibase.BASE58BTC : Multibase.BASE32;
    }
    Multibase mb =
        Multibase.byName(base)
            .orElseThrow(() -> new IllegalArgumentException("unknown multibase: " + base));
    if (cid.version() == 0 && mb != Multibase.BASE58BTC) {
      throw new IllegalArgumentException("CIDv0 can only be encoded in base58btc (use -v 1)");
    }
    return mb;
  }

  static String render(String format, Cid cid, Multibase mb) {
    Multihash mh = cid.multihash();
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        out.append(c);
        continue;
      }
      if (++i == format.length()) {
        throw new IllegalArgumentException("format string ends with a lone '%'");
      }
      char p = format.charAt(i);
      switch (p) {
        case '%' -> out.append('%');
        case 's' -> out.append(cid.version() == 0 ? cid.toString() : cid.toString(mb));
        case 'S' -> out.append(cid.version() == 0 ? cid.toString() : mb.encodeRaw(cid.bytes()));
        case 'b' -> out.append(mb.canonicalName());
        case 'B' -> out.append(mb.prefix());
        case 'v' -> out.append("cidv").append(cid.version());
        case 'V' -> out.append(cid.version());
        case 'c' -> out.append(codecName(cid.codec()));
        case 'C' -> out.append(cid.codec());
        case 'h' -> out.append(codecName(mh.code()));
        case 'H' -> out.append(mh.code());
        case 'L' -> out.append(mh.digestLength());
        case 'm' -> out.append(mb.encode(mh.bytes()));
        case 'M' -> out.append(mb.encodeRaw(mh.bytes()));
        case 'd' -> out.append(mb.encode(mh.digest()));
        case 'D' -> out.append(mb.encodeRaw(mh.digest()));
        case 'P' ->
            out.append("cidv")
                .append(cid.version())
                .append('-')
                .append(codecName(cid.codec()))
                .append('-')
                .append(codecName(mh.code()))
                .append('-')
                .append(mh.digestLength());
        default -> throw new IllegalArgumentException("unknown format placeholder: %" + p);
      }
    }
    return out.toString();
  }

  private static String codecName(long code) {
    return Multicodec.byCode(code).map(Multicodec::name).orElse("0x" + Long.toHexString(code));
  }
}
