package dev.tally.cli;

import ch.qos.logback.classic.Level;
import dev.tally.daemon.Daemon;
import dev.tally.http.HttpLimits;
import dev.tally.storage.repo.Repo;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tally daemon}: opens (or on first run creates) the repo and serves the RPC API and the
 * gateway until SIGINT/SIGTERM or {@code /api/v0/shutdown}, printing Kubo's start-up lines.
 */
@Command(name = "daemon", description = "Run a network-connected Tally node (RPC API and gateway).")
final class DaemonCommand implements Callable<Integer> {
  @Mixin RepoOption repo;

  @Option(names = "--debug", description = "Log at debug level.")
  boolean debug;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (debug) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(Level.DEBUG);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("Initializing daemon...");
    out.println("Tally version: " + TallyVersion.version());
    out.println("Java version: " + Runtime.version());
    Repo r = repo.openOrInit();
    out.println("PeerID: " + r.peerId());
    Daemon daemon = Daemon.start(r, TallyVersion.version(), HttpLimits.of(r.config().http()));
    Thread hook =
        new Thread(
            () -> {
              out.println();
              out.println("Received interrupt signal, shutting down...");
              out.flush();
              daemon.stop();
            },
            "tally-signal");
    Runtime.getRuntime().addShutdownHook(hook);
    for (var swarm : daemon.swarmAddresses()) {
      out.println("Swarm listening on " + swarm);
    }
    out.println("RPC API server listening on " + daemon.apiAddress());
    out.println("Gateway server listening on " + daemon.gatewayAddress());
    out.println("Daemon is ready");
    out.flush();
    daemon.stopped().join();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is already exiting (a signal): the hook is running and finishes the shutdown.
    }
    return 0;
  }
}
