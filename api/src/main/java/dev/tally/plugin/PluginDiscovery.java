package dev.tally.plugin;

import dev.tally.plugin.spi.TallyPlugin;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds plugins with {@link ServiceLoader}: on the node's own class path (the built-in ones) and in
 * each {@code *.jar} directly in the plugins directory, every jar in its own {@link URLClassLoader}
 * whose parent is a {@link SpiOnlyClassLoader}. A jar that cannot be loaded becomes a failure to
 * report, never an error that stops the node.
 */
final class PluginDiscovery {
  static final String CLASSPATH = "classpath";

  private PluginDiscovery() {}

  /**
   * A plugin found (with the loader that must stay open while it runs), or why a jar or a provider
   * could not be loaded.
   */
  record Found(
      String origin,
      Optional<TallyPlugin> plugin,
      Optional<URLClassLoader> loader,
      Optional<String> error) {
    static Found plugin(String origin, TallyPlugin p, Optional<URLClassLoader> loader) {
      return new Found(origin, Optional.of(p), loader, Optional.empty());
    }

    static Found failure(String origin, String error) {
      return new Found(origin, Optional.empty(), Optional.empty(), Optional.of(error));
    }
  }

  static List<Found> discover(PluginOptions options) {
    List<Found> found = new ArrayList<>();
    if (options.classpath()) {
      load(
          ServiceLoader.load(TallyPlugin.class, PluginDiscovery.class.getClassLoader()),
          CLASSPATH,
          Optional.empty(),
          found);
    }
    for (Path jar : jars(options.pluginsDir())) {
      URLClassLoader loader;
      try {
        loader =
            new URLClassLoader(
                "plugin:" + jar.getFileName(),
                new URL[] {jar.toUri().toURL()},
                new SpiOnlyClassLoader());
      } catch (MalformedURLException e) {
        found.add(Found.failure(jar.toString(), "cannot open the jar: " + e.getMessage()));
        continue;
      }
      int before = found.size();
      load(
          ServiceLoader.load(TallyPlugin.class, loader),
          jar.toString(),
          Optional.of(loader),
          found);
      if (found.size() == before) {
        found.add(
            Found.failure(
                jar.toString(),
                "no plugin in the jar: it must list its TallyPlugin class in "
                    + "META-INF/services/dev.tally.plugin.spi.TallyPlugin"));
        close(loader);
      }
    }
    return found;
  }

  private static void load(
      ServiceLoader<TallyPlugin> services,
      String origin,
      Optional<URLClassLoader> loader,
      List<Found> found) {
    Iterator<TallyPlugin> it = services.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return;
        }
        found.add(Found.plugin(origin, it.next(), loader));
      } catch (ServiceConfigurationError | LinkageError e) {
        // A provider that is missing, has no public no-arg constructor, throws in it, or needs a
        // class the SPI-only loader refuses: report it and go on with the next one.
        found.add(Found.failure(origin, describe(e)));
        if (e instanceof LinkageError) {
          return;
        }
      }
    }
  }

  private static List<Path> jars(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> jars = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
      for (Path p : s) {
        if (Files.isRegularFile(p)) {
          jars.add(p);
        }
      }
    } catch (IOException e) {
      throw new PluginException("cannot list plugin jars in " + dir + ": " + e.getMessage(), e);
    }
    jars.sort(null);
    return jars;
  }

  static void close(URLClassLoader loader) {
    try {
      loader.close();
    } catch (IOException e) {
      // The jar stays open until exit; nothing else depends on it.
    }
  }

  static String describe(Throwable e) {
    StringBuilder s = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (s.length() > 0) {
        s.append(": ");
      }
      String m = t.getMessage();
      s.append(
          m == null || m.isBlank()
              ? t.getClass().getSimpleName()
              : t.getClass().getSimpleName() + " " + m);
      if (t.getCause() == t) {
        break;
      }
    }
    return s.toString();
  }
}
