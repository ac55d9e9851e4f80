package dev.tally.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code tally <command>}. Errors print {@code Error: <what>} on stderr and exit 1.
 */
@Command(
    name = "tally",
    mixinStandardHelpOptions = true,
    versionProvider = TallyVersion.class,
    description = "Tally: IPFS-compatible content addressing and a replicated lending log.",
    subcommands = {
      InitCommand.class,
      AddCommand.class,
      CatCommand.class,
      GetCommand.class,
      LsCommand.class,
      BlockCommand.class,
      DagCommand.class,
      PinCommand.class,
      RepoCommand.class,
      CidCommand.class,
      LogCommand.class,
      LendingCommand.class,
      PluginsCommand.class,
      ClusterCommand.class,
      VersionCommand.class,
      DaemonCommand.class,
      IdCommand.class,
      SwarmCommand.class,
      PingCommand.class,
      BitswapCommand.class,
      ConfigCommand.class,
      RoutingCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--api",
      paramLabel = "MULTIADDR",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Use the daemon whose RPC API listens at MULTIADDR (default: <repo>/api).")
  void api(String multiaddr) {
    ApiClient.override(java.util.Optional.of(multiaddr));
  }

  @CommandLine.Option(
      names = "--api-auth",
      paramLabel = "SECRET",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Authorization secret for the daemon's API, as in API.Authorizations: bearer:TOKEN or"
              + " basic:USER:PASSWORD.")
  void apiAuth(String secret) {
    ApiClient.auth(java.util.Optional.of(secret));
  }

  @CommandLine.Option(
      names = "--offline",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Run on the repo itself, never through a daemon (refused while a daemon holds the"
              + " repo).")
  void offline(boolean offline) {
    ApiClient.offline(offline);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    System.exit(run(args, System.in, out, System.err));
  }

  /**
   * Runs one command line with the given standard streams; returns the exit code. Tests use it to
   * run commands in process.
   */
  public static int run(String[] args, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    Io.set(new Io(stdin, stdout, stderr));
    ApiClient.override(java.util.Optional.empty());
    ApiClient.offline(false);
    ApiClient.auth(java.util.Optional.empty());
    try {
      return execute(
          args,
          new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true),
          new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), true));
    } finally {
      stdout.flush();
      Io.set(null);
    }
  }

  private static int execute(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(new Main());
    cli.registerConverter(dev.tally.multiformats.Cid.class, dev.tally.multiformats.Cid::parse);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("Error: " + Errors.describe(e));
          if (System.getenv("TALLY_DEBUG") != null) {
            e.printStackTrace(err);
          }
          err.flush();
          return 1;
        });
    cli.setParameterExceptionHandler(
        (e, strings) -> {
          err.println("Error: " + e.getMessage());
          err.println();
          e.getCommandLine().usage(err);
          err.flush();
          return 1;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }
}
