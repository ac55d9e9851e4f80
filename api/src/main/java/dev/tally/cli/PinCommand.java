package dev.tally.cli;

import dev.tally.multiformats.Cid;
import picocli.CommandLine.Command;

/** {@code tally pin}: pins as {@code ipfs pin} manages them. */
@Command(
    name = "pin",
    description = "Pin (and unpin) objects to local storage.",
    subcommands = {
      PinAddCommand.class,
      PinRmCommand.class,
      PinLsCommand.class,
      PinUpdateCommand.class,
      PinVerifyCommand.class
    })
final class PinCommand {
  private PinCommand() {}

  /** A pin argument: a CID or {@code /ipfs/<cid>} (paths into a DAG are not resolved offline). */
  static Cid parse(String arg) {
    String text = arg.startsWith("/ipfs/") ? arg.substring("/ipfs/".length()) : arg;
    if (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    if (text.contains("/")) {
      throw new IllegalArgumentException(
          "pin takes a CID or /ipfs/<cid>, not a path inside a DAG: " + arg);
    }
    return Cid.parse(text);
  }
}
