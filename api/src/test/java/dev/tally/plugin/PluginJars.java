package dev.tally.plugin;

import dev.tally.plugin.spi.TallyPlugin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars in tests the way a third party does: Java sources compiled against the SPI's
 * classes alone, packed with a {@code META-INF/services} file and any resources.
 */
final class PluginJars {
  private PluginJars() {}

  /** Where the SPI's classes are (its jar, or its classes directory in the reactor). */
  static Path spiLocation() {
    try {
      return Path.of(TallyPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Compiles {@code sources} (class name → source) against the SPI only and writes {@code jar} with
   * {@code resources} (path → text); the service file lists {@code services} (empty: none).
   */
  static Path build(
      Path jar, Map<String, String> sources, List<String> services, Map<String, String> resources)
      throws IOException {
    Path work = Files.createTempDirectory(jar.getParent(), "src");
    Path src = work.resolve("src");
    Path out = work.resolve("classes");
    Files.createDirectories(out);
    List<String> args =
        new ArrayList<>(
            List.of(
                "--release", "17", "-classpath", spiLocation().toString(), "-d", out.toString()));
    for (Map.Entry<String, String> s : sources.entrySet()) {
      Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, s.getValue(), StandardCharsets.UTF_8);
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream errors = new java.io.ByteArrayOutputStream();
    int rc = javac.run(null, null, errors, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("test plugin does not compile:\n" + errors);
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(file)) {
      try (Stream<Path> classes = Files.walk(out)) {
        for (Path c : classes.filter(Files::isRegularFile).sorted().toList()) {
          j.putNextEntry(new JarEntry(out.relativize(c).toString().replace('\\', '/')));
          j.write(Files.readAllBytes(c));
          j.closeEntry();
        }
      }
      if (!services.isEmpty()) {
        j.putNextEntry(new JarEntry("META-INF/services/dev.tally.plugin.spi.TallyPlugin"));
        j.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
      for (Map.Entry<String, String> r : resources.entrySet()) {
        j.putNextEntry(new JarEntry(r.getKey()));
        j.write(r.getValue().getBytes(StandardCharsets.UTF_8));
        j.closeEntry();
      }
    }
    return jar;
  }

  /** A jar with the {@link #PROBE} plugin named {@code name} (its behaviour set by config). */
  static Path probe(Path dir, String name) throws IOException {
    return probe(dir, name, "dev.tally.plugin.spi.SpiVersion.CURRENT");
  }

  /** A probe that reports {@code spiExpression} as its SPI version. */
  static Path probe(Path dir, String name, String spiExpression) throws IOException {
    Files.createDirectories(dir);
    return build(
        dir.resolve(name + ".jar"),
        Map.of("probe.Probe", PROBE.replace("SPI_VERSION", spiExpression)),
        List.of("probe.Probe"),
        Map.of("probe-name", name));
  }

  /**
   * A plugin whose behaviour its config picks ({@code mode}: ok, throw-start, hang-start,
   * throw-entry, hang-entry): it records each delivery as {@code cid@heads} and serves them, and
   * answers routes that probe what it can see.
   */
  static final String PROBE =
      """
      package probe;

      import dev.tally.plugin.spi.*;
      import dev.tally.plugin.spi.http.*;
      import dev.tally.plugin.spi.log.*;
      import java.io.*;
      import java.nio.charset.StandardCharsets;
      import java.sql.*;
      import java.util.*;

      public final class Probe implements TallyPlugin {
        private final List<String> seen = Collections.synchronizedList(new ArrayList<>());
        private String mode = "ok";

        @Override public String name() {
          try (InputStream in = Probe.class.getResourceAsStream("/probe-name")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override public String spiVersion() { return SPI_VERSION; }

        static void hang() {
          while (true) {
            try { Thread.sleep(1000); } catch (InterruptedException ignored) { }
          }
        }

        @Override public void start(PluginContext ctx) throws Exception {
          mode = ctx.config().get("mode", "ok");
          if (mode.equals("throw-start")) throw new IllegalStateException("boom at start");
          if (mode.equals("hang-start")) hang();
          ctx.subscribe(Heads.parse(ctx.config().get("from", "")), (e, after) -> {
            if (mode.equals("throw-entry") && e.kind().equals("Boom")) {
              throw new IllegalArgumentException("cannot digest " + e.cid());
            }
            if (mode.equals("hang-entry") && e.kind().equals("Hang")) hang();
            seen.add(e.cid() + "@" + after);
          });
          ctx.routes().get("/seen", r -> PluginResponse.text(String.join("\\n", seen)));
          ctx.routes().get("/hang", r -> { hang(); return null; });
          ctx.routes().get("/boom", r -> { throw new IllegalStateException("route bug"); });
          ctx.routes().get("/missing/{what}", r -> { throw RouteException.notFound("no " + r.pathParam("what")); });
          ctx.routes().get("/loans/{id}", r -> PluginResponse.text(ctx.lending().loan(r.pathParam("id"))
              .map(l -> l.principal() + " at " + ctx.lending().heads()).orElse("none")));
          ctx.routes().get("/loans/count", r -> PluginResponse.text("" + ctx.lending().size()));
          ctx.routes().post("/echo", r -> PluginResponse.text("got " + r.body().remaining() + " bytes"));
          ctx.routes().get("/see/{cls}", r -> {
            try {
              Class.forName(r.pathParam("cls"), false, Probe.class.getClassLoader());
              return PluginResponse.text("visible");
            } catch (ClassNotFoundException e) {
              return PluginResponse.text("hidden");
            }
          });
          try (Connection c = ctx.database().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS kv(k VARCHAR PRIMARY KEY, v VARCHAR)");
          }
          ctx.routes().post("/kv/{k}/{v}", r -> {
            try (Connection c = ctx.database().getConnection();
                PreparedStatement p = c.prepareStatement("MERGE INTO kv KEY(k) VALUES(?, ?)")) {
              p.setString(1, r.pathParam("k"));
              p.setString(2, r.pathParam("v"));
              p.executeUpdate();
            }
            return PluginResponse.text("ok");
          });
          ctx.routes().get("/kv/{k}", r -> {
            try (Connection c = ctx.database().getConnection();
                PreparedStatement p = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
              p.setString(1, r.pathParam("k"));
              ResultSet rs = p.executeQuery();
              return PluginResponse.text(rs.next() ? rs.getString(1) : "absent");
            }
          });
          ctx.logger().log(System.Logger.Level.INFO, "probe {0} started in mode {1}", name(), mode);
        }

        @Override public void stop() { }
      }
      """;
}
