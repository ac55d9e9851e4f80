package dev.tally.cli;

import dev.tally.lending.record.LendingRecord;
import dev.tally.lending.record.PartyId;
import dev.tally.lending.state.LendingState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The record commands of {@code tally lending} as forms: each names its options once (on its
 * picocli class), and both the CLI and {@code /api/v0/lending/<command>} fill it in and build the
 * record from the node's lending state. So a record's parameters, defaults and refusals are the
 * same whichever way it is written.
 */
public final class LendingForms {
  /** Options that belong to the CLI process, not to the record (some set process-wide state). */
  private static final List<String> LOCAL =
      List.of("--repo", "--api", "--api-auth", "--offline", "--help", "--version");

  private LendingForms() {}

  /** A fresh command tree as {@link Main} builds it (commands hold their parsed options). */
  private static CommandLine top() {
    CommandLine top = new CommandLine(new Main());
    top.registerConverter(dev.tally.multiformats.Cid.class, dev.tally.multiformats.Cid::parse);
    return top;
  }

  private static CommandLine lending(CommandLine top) {
    return top.getSubcommands().get("lending");
  }

  /** The record commands: {@code register}, {@code request}, {@code offer}, … */
  public static List<String> names() {
    List<String> out = new ArrayList<>();
    lending(top())
        .getSubcommands()
        .forEach(
            (name, cl) -> {
              if (cl.getCommand() instanceof LendingWrite) {
                out.add(name);
              }
            });
    return List.copyOf(out);
  }

  /**
   * The record {@code command} makes of {@code options} (name without dashes, value; {@code arg} is
   * the log id) given the lending state of the log and the writing party.
   *
   * @throws IllegalArgumentException naming the unknown command, the unknown or malformed option,
   *     or why the record is refused
   */
  public static LendingRecord build(
      String command, List<Map.Entry<String, String>> options, LendingState state, PartyId me) {
    CommandLine top = top();
    CommandLine cl = lending(top).getSubcommands().get(command);
    if (cl == null || !(cl.getCommand() instanceof LendingWrite form)) {
      throw new IllegalArgumentException(
          "unknown lending record command \"" + command + "\"; the commands are " + names());
    }
    CommandSpec spec = cl.getCommandSpec();
    List<String> argv = new ArrayList<>(List.of("lending", command));
    List<String> positional = new ArrayList<>();
    for (Map.Entry<String, String> o : options) {
      if (o.getKey().equals("arg")) {
        positional.add(o.getValue());
        continue;
      }
      String name = "--" + o.getKey();
      OptionSpec option = spec.findOption(name);
      if (option == null || LOCAL.contains(name)) {
        throw new IllegalArgumentException(
            "lending "
                + command
                + " has no option \""
                + o.getKey()
                + "\"; it takes "
                + optionNames(spec));
      }
      if (option.arity().max() == 0) {
        if (!o.getValue().isEmpty() && !o.getValue().equals("true")) {
          if (o.getValue().equals("false")) {
            continue;
          }
          throw new IllegalArgumentException(
              "option \""
                  + o.getKey()
                  + "\" is a flag: true or false, got \""
                  + o.getValue()
                  + "\"");
        }
        argv.add(name);
      } else {
        // One token: a value that looks like an option stays a value.
        argv.add(name + "=" + o.getValue());
      }
    }
    argv.add("--");
    argv.addAll(positional);
    try {
      top.parseArgs(argv.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new IllegalArgumentException("lending " + command + ": " + e.getMessage(), e);
    }
    return form.record(state, me);
  }

  /**
   * The options a parsed command was given, as {@link #build} takes them: the log id as {@code
   * arg}, then each option without its dashes (a flag as {@code true}), CLI-only ones left out.
   */
  static List<Map.Entry<String, String>> options(CommandSpec spec, String log) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    out.add(Map.entry("arg", log));
    // An option given twice is matched twice; its values are all in one spec.
    for (OptionSpec o :
        new java.util.LinkedHashSet<>(spec.commandLine().getParseResult().matchedOptions())) {
      String name = o.longestName();
      if (LOCAL.contains(name)) {
        continue;
      }
      String key = name.substring(2);
      if (o.arity().max() == 0) {
        out.add(Map.entry(key, "true"));
      } else {
        for (String v : o.stringValues()) {
          out.add(Map.entry(key, v));
        }
      }
    }
    return out;
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      if (!LOCAL.contains(o.longestName()) && o.longestName().startsWith("--")) {
        out.add(o.longestName().substring(2));
      }
    }
    return out;
  }
}
