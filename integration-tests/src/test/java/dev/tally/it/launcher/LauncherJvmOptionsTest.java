package dev.tally.it.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tally.it.NodeScripts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./tally} launcher's JVM options, as the JVM itself ends up with them: the launcher
 * prints its command ({@code TALLY_DRY_RUN=1}), and the test starts that JVM with the same
 * environment and {@code -XX:+PrintFlagsFinal}. The reference for every expected value is the JVM's
 * own choice for the user's options alone, never a figure the launcher computes.
 */
class LauncherJvmOptionsTest {
  private static final long MIB = 1024 * 1024;
  private static final long GIB = 1024 * MIB;
  private static final List<String> USER_VARIABLES =
      List.of("JAVA_OPTS", "TALLY_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

  /** The launcher's one option that is not about heap size (it also moves heap alignment). */
  private static final String REGIONS = "-XX:G1HeapRegionSize=4m";

  private static final Pattern FLAG =
      Pattern.compile("^\\s*\\S+\\s+(\\w+)\\s+:?=\\s+(\\S+)\\s+\\{", Pattern.MULTILINE);

  private static Path script() {
    return NodeScripts.itDir().toAbsolutePath().normalize().getParent().resolve("tally");
  }

  /** The command the launcher would run for {@code args} with {@code env} set (others cleared). */
  private static List<String> launcherCommand(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", script().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    environment(pb, env).put("TALLY_DRY_RUN", "1");
    Result r = run(pb);
    assertEquals(0, r.exit, "launcher dry run failed: " + r.err);
    List<String> words = r.out.lines().toList();
    assertTrue(words.contains("-jar"), "no -jar in " + words);
    return words;
  }

  private static Map<String, String> environment(ProcessBuilder pb, Map<String, String> env) {
    Map<String, String> e = pb.environment();
    USER_VARIABLES.forEach(e::remove);
    e.remove("TALLY_DRY_RUN");
    e.putAll(env);
    return e;
  }

  /** The JVM options of a launcher command: the words between the java binary and -jar. */
  private static List<String> jvmOptions(List<String> command) {
    assertEquals(REGIONS, command.get(1), command.toString());
    return command.subList(1, command.indexOf("-jar"));
  }

  /** The final flag values of {@code java options... -version} started with {@code env}. */
  private static Map<String, String> finalFlags(
      String java, List<String> options, Map<String, String> env)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(options);
    command.add("-XX:+PrintFlagsFinal");
    command.add("-version");
    ProcessBuilder pb = new ProcessBuilder(command);
    environment(pb, env);
    Result r = run(pb);
    assertEquals(
        0, r.exit, "the JVM refused to start with " + options + " and " + env + ": " + r.err);
    Map<String, String> flags = new HashMap<>();
    Matcher m = FLAG.matcher(r.out);
    while (m.find()) {
      flags.put(m.group(1), m.group(2));
    }
    assertTrue(flags.containsKey("MaxHeapSize"), "no MaxHeapSize in " + r.out);
    return flags;
  }

  private static long size(Map<String, String> flags, String name) {
    return Long.parseLong(flags.get(name));
  }

  private record Result(int exit, String out, String err) {}

  private static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
    Path err = Files.createTempFile("launcher", ".err");
    try {
      Process p = pb.redirectError(err.toFile()).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + pb.command());
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private static boolean addsHeapSize(List<String> options, List<String> userOptions) {
    return options.stream()
        .filter(o -> !userOptions.contains(o))
        .anyMatch(o -> o.startsWith("-Xms") || o.startsWith("-Xmx") || o.contains("HeapSize"));
  }

  @Test
  void daemonGetsAMinimumHeapThatNeverRaisesTheJvmsOwnMaximum() throws Exception {
    List<String> command = launcherCommand(Map.of(), "daemon");
    String java = command.get(0);
    Map<String, String> jvm = finalFlags(java, List.of(REGIONS), Map.of());
    Map<String, String> launched = finalFlags(java, jvmOptions(command), Map.of());

    assertEquals(size(jvm, "MaxHeapSize"), size(launched, "MaxHeapSize"));
    assertEquals(size(launched, "InitialHeapSize"), size(launched, "MinHeapSize"));
    assertTrue(
        size(launched, "MinHeapSize") > size(jvm, "MinHeapSize"),
        "no heap floor: " + launched.get("MinHeapSize"));
    assertTrue(size(launched, "MinHeapSize") <= GIB, launched.get("MinHeapSize"));
    assertTrue(
        size(launched, "MinHeapSize") <= size(jvm, "MaxHeapSize") / 2,
        "floor " + launched.get("MinHeapSize") + " vs default maximum " + jvm.get("MaxHeapSize"));
    if (size(jvm, "MaxHeapSize") >= 2 * GIB) {
      assertEquals(GIB, size(launched, "MinHeapSize"));
    }
    assertEquals(4 * MIB, size(launched, "G1HeapRegionSize"));
  }

  /**
   * A 2 GiB machine, as a JDK whose java runs with {@code -XX:MaxRAM=2g}: the JVM's default maximum
   * is then 512 MiB, and the floor must be half of it, not the 1 GiB that would raise it.
   */
  @Test
  void onASmallMachineTheFloorIsHalfTheJvmsOwnMaximum(@TempDir Path dir) throws Exception {
    String realJava = launcherCommand(Map.of(), "version").get(0);
    Path jdk = dir.resolve("small-jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"99\"\n");
    Path java = jdk.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexec '" + realJava + "' -XX:MaxRAM=2g \"$@\"\n");
    assertTrue(java.toFile().setExecutable(true));

    Map<String, String> env = Map.of("JAVA_HOME", jdk.toString());
    List<String> command = launcherCommand(env, "daemon");
    assertEquals(java.toString(), command.get(0));
    Map<String, String> jvm = finalFlags(java.toString(), List.of(REGIONS), Map.of());
    Map<String, String> launched = finalFlags(java.toString(), jvmOptions(command), Map.of());
    assertEquals(512 * MIB, size(jvm, "MaxHeapSize"));
    assertEquals(size(jvm, "MaxHeapSize"), size(launched, "MaxHeapSize"));
    assertEquals(size(jvm, "MaxHeapSize") / 2, size(launched, "MinHeapSize"));
  }

  @Test
  void daemonAfterGlobalOptionsGetsTheFloorToo() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"--api", "/ip4/127.0.0.1/tcp/5001", "daemon"},
            new String[] {"--offline", "daemon", "--debug"},
            new String[] {"--api=/ip4/127.0.0.1/tcp/5001", "daemon"})) {
      List<String> options = jvmOptions(launcherCommand(Map.of(), args));
      assertTrue(addsHeapSize(options, List.of()), List.of(args) + " -> " + options);
    }
  }

  @Test
  void shortCommandsKeepTheJvmsOwnHeapSizing() throws Exception {
    for (String[] args :
        List.of(
            new String[] {"add", "-Q", "file"},
            new String[] {"version"},
            new String[] {"--repo", "daemon", "id"},
            new String[] {"id", "daemon"},
            new String[] {})) {
      List<String> command = launcherCommand(Map.of(), args);
      Map<String, String> jvm = finalFlags(command.get(0), List.of(REGIONS), Map.of());
      Map<String, String> launched = finalFlags(command.get(0), jvmOptions(command), Map.of());
      assertEquals(jvm.get("InitialHeapSize"), launched.get("InitialHeapSize"), List.of(args) + "");
      assertEquals(jvm.get("MinHeapSize"), launched.get("MinHeapSize"), List.of(args) + "");
      assertEquals(jvm.get("MaxHeapSize"), launched.get("MaxHeapSize"), List.of(args) + "");
    }
  }

  @Test
  void commandsThatMoveNoBulkDataUseC1AloneAndDataCommandsTheFullJit() throws Exception {
    String java = launcherCommand(Map.of(), "version").get(0);
    Map<String, String> jvm = finalFlags(java, List.of(REGIONS), Map.of());
    for (String[] light :
        List.of(new String[] {"version"}, new String[] {"--api", "/ip4/127.0.0.1/tcp/1", "id"})) {
      Map<String, String> launched =
          finalFlags(java, jvmOptions(launcherCommand(Map.of(), light)), Map.of());
      assertEquals("1", launched.get("TieredStopAtLevel"), List.of(light) + "");
    }
    for (String[] heavy :
        List.of(
            new String[] {"add", "-Q", "big.iso"},
            new String[] {"cat", "QmT78zSuBmuS4z925WZfrqQ1qHaJ56DQaTfyMUF7F8ff5o"},
            new String[] {"log", "verify", "x"},
            new String[] {"daemon"})) {
      Map<String, String> launched =
          finalFlags(java, jvmOptions(launcherCommand(Map.of(), heavy)), Map.of());
      assertEquals(
          jvm.get("TieredStopAtLevel"), launched.get("TieredStopAtLevel"), List.of(heavy) + "");
    }
    Map<String, String> env = Map.of("TALLY_JAVA_OPTS", "-XX:TieredStopAtLevel=4");
    Map<String, String> overridden =
        finalFlags(java, jvmOptions(launcherCommand(env, "version")), Map.of());
    assertEquals("4", overridden.get("TieredStopAtLevel"));
  }

  /** A maximum below the launcher's floor: an -Xms of ours would stop the JVM from starting. */
  @ParameterizedTest
  @ValueSource(strings = {"JAVA_OPTS", "TALLY_JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"})
  void usersMaximumHeapWinsFromEveryVariable(String variable) throws Exception {
    Map<String, String> env = Map.of(variable, "-Xmx96m");
    List<String> command = launcherCommand(env, "daemon");
    Map<String, String> launched = finalFlags(command.get(0), jvmOptions(command), env);
    assertEquals(96 * MIB, size(launched, "MaxHeapSize"));
    assertTrue(size(launched, "InitialHeapSize") <= 96 * MIB, launched.get("InitialHeapSize"));
    assertFalse(addsHeapSize(jvmOptions(command), List.of("-Xmx96m")), command.toString());
  }

  @Test
  void usersOwnHeapOptionsAreTheOnlyOnes() throws Exception {
    for (String user :
        List.of(
            "-Xms128m",
            "-Xmx3g -Dtally.note=x",
            "-XX:MaxHeapSize=200m",
            "-XX:InitialHeapSize=64m",
            "-Xmn32m",
            "-XX:MaxRAM=1g",
            "-XX:MaxRAMPercentage=2")) {
      Map<String, String> env = Map.of("TALLY_JAVA_OPTS", user);
      List<String> command = launcherCommand(env, "daemon");
      List<String> userWords = List.of(user.split(" "));
      List<String> options = jvmOptions(command);
      assertFalse(addsHeapSize(options, userWords), user + " -> " + options);
      assertTrue(options.containsAll(userWords), user + " -> " + options);
      List<String> reference = new ArrayList<>(List.of(REGIONS));
      reference.addAll(userWords);
      Map<String, String> jvm = finalFlags(command.get(0), reference, Map.of());
      Map<String, String> launched = finalFlags(command.get(0), options, Map.of());
      for (String flag : List.of("MaxHeapSize", "InitialHeapSize", "MinHeapSize")) {
        assertEquals(jvm.get(flag), launched.get(flag), user + ": " + flag);
      }
    }
  }

  @Test
  void optionsAreSplitOnBlanksAndNotExpanded() throws Exception {
    Map<String, String> env = Map.of("JAVA_OPTS", "-Da=*  -Db=1", "TALLY_JAVA_OPTS", " -Dc=$HOME ");
    List<String> options = jvmOptions(launcherCommand(env, "version"));
    assertEquals(
        List.of("-Da=*", "-Db=1", "-Dc=$HOME"),
        options.subList(options.size() - 3, options.size()));
  }

  private static int release(Path javaHome) throws IOException {
    Path release = javaHome.resolve("release");
    if (!Files.isRegularFile(release)) {
      return 0;
    }
    Matcher m =
        Pattern.compile("^JAVA_VERSION=\"(\\d+)", Pattern.MULTILINE)
            .matcher(Files.readString(release));
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  @Test
  void picksAJdkOfAtLeast21EvenWhenJavaHomeIsOlder() throws Exception {
    List<Path> jdks;
    try (Stream<Path> s = Files.list(Path.of("/usr/lib/jvm"))) {
      jdks = s.filter(p -> Files.isExecutable(p.resolve("bin/java"))).toList();
    } catch (IOException e) {
      jdks = List.of();
    }
    List<Path> modern = new ArrayList<>();
    List<Path> older = new ArrayList<>();
    for (Path jdk : jdks) {
      (release(jdk) >= 21 ? modern : release(jdk) > 0 ? older : new ArrayList<Path>()).add(jdk);
    }
    assumeTrue(!modern.isEmpty(), "no JDK >= 21 in /usr/lib/jvm");
    String picked = launcherCommand(Map.of(), "version").get(0);
    assertTrue(release(Path.of(picked).getParent().getParent()) >= 21, picked);
    for (Path old : older) {
      String withOldHome = launcherCommand(Map.of("JAVA_HOME", old.toString()), "version").get(0);
      assertTrue(release(Path.of(withOldHome).getParent().getParent()) >= 21, withOldHome);
    }
    Path chosen = modern.get(0);
    assertEquals(
        chosen.resolve("bin/java").toString(),
        launcherCommand(Map.of("JAVA_HOME", chosen.toString()), "version").get(0));
  }
}
