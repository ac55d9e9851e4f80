package dev.tally.plugin;

import dev.tally.plugin.spi.TallyPlugin;
import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * The parent of every plugin jar's class loader: the JDK's platform classes plus the SPI's
 * packages, and nothing else. A plugin therefore cannot load the node's classes (its storage, its
 * keys, its network) or the node's libraries, and may bundle its own versions of any library.
 */
final class SpiOnlyClassLoader extends ClassLoader {
  static final String SPI_PACKAGE = "dev.tally.plugin.spi.";
  private static final String SPI_PATH = "dev/tally/plugin/spi/";

  private final ClassLoader spi = TallyPlugin.class.getClassLoader();

  SpiOnlyClassLoader() {
    super("tally-plugin-spi", ClassLoader.getPlatformClassLoader());
  }

  static {
    registerAsParallelCapable();
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    if (name.startsWith(SPI_PACKAGE)) {
      return spi.loadClass(name);
    }
    throw new ClassNotFoundException(name + " (plugins see only the JDK and " + SPI_PACKAGE + "*)");
  }

  @Override
  protected URL findResource(String name) {
    return name.startsWith(SPI_PATH) ? spi.getResource(name) : null;
  }

  @Override
  protected Enumeration<URL> findResources(String name) throws IOException {
    return name.startsWith(SPI_PATH) ? spi.getResources(name) : Collections.emptyEnumeration();
  }
}
