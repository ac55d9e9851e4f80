package dev.tally.plugin.spi;

import java.util.Optional;

/**
 * The version of this SPI, {@code MAJOR.MINOR}, and the rule a node applies before it starts a
 * plugin.
 *
 * <p>Compatibility rules:
 *
 * <ul>
 *   <li>A minor release only adds: new types, new default methods, new methods on interfaces the
 *       node implements ({@link PluginContext} and the query interfaces), new constants in enums. A
 *       plugin compiled against {@code 1.m} runs on every node that provides {@code 1.n} with
 *       {@code n >= m}.
 *   <li>A major release may remove or change anything; a plugin compiled against another major
 *       version is refused with both versions named, and the node keeps running.
 *   <li>View records (loans, installments, entries) gain components only in a major release, so a
 *       plugin's tests that build views keep compiling within a major version.
 * </ul>
 *
 * <p>A plugin reports the version it was compiled against from {@link TallyPlugin#spiVersion()} by
 * returning {@link #CURRENT}: the compiler copies that constant into the plugin's own class file,
 * so the node sees the plugin's version, not its own.
 */
public final class SpiVersion {
  public static final int MAJOR = 1;
  public static final int MINOR = 0;

  /** {@code MAJOR.MINOR} of this SPI; a compile-time constant (see the class comment). */
  public static final String CURRENT = "1.0";

  private SpiVersion() {}

  /**
   * Why a plugin compiled against SPI {@code compiledAgainst} cannot run on this SPI, or empty when
   * it can.
   */
  public static Optional<String> incompatibility(String compiledAgainst) {
    int dot = compiledAgainst.indexOf('.');
    int major;
    int minor;
    try {
      if (dot < 1) {
        throw new NumberFormatException();
      }
      major = Integer.parseInt(compiledAgainst.substring(0, dot));
      minor = Integer.parseInt(compiledAgainst.substring(dot + 1));
    } catch (NumberFormatException e) {
      return Optional.of(
          "declares SPI version \""
              + compiledAgainst
              + "\"; expected MAJOR.MINOR such as "
              + CURRENT);
    }
    if (major != MAJOR) {
      return Optional.of(
          "was compiled against SPI "
              + compiledAgainst
              + " but this node provides SPI "
              + CURRENT
              + " (major versions must match)");
    }
    if (minor > MINOR) {
      return Optional.of(
          "needs SPI "
              + compiledAgainst
              + " but this node provides only "
              + CURRENT
              + "; upgrade the node");
    }
    return Optional.empty();
  }
}
