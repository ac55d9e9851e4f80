package dev.tally.plugin;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link System.Logger} a plugin gets (the SPI is JDK-only), writing to the node's log under
 * {@code plugin.<name>} so every line names the plugin.
 */
final class PluginLogger implements System.Logger {
  private final Logger log;

  PluginLogger(String plugin) {
    this.log = LoggerFactory.getLogger("plugin." + plugin);
  }

  @Override
  public String getName() {
    return log.getName();
  }

  @Override
  public boolean isLoggable(Level level) {
    return switch (level) {
      case ALL, TRACE -> log.isTraceEnabled();
      case DEBUG -> log.isDebugEnabled();
      case INFO -> log.isInfoEnabled();
      case WARNING -> log.isWarnEnabled();
      case ERROR -> log.isErrorEnabled();
      case OFF -> false;
    };
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
    write(level, localized(bundle, msg), thrown);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    String pattern = localized(bundle, format);
    // As System.Logger specifies: MessageFormat only when there are parameters.
    String text =
        params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
    write(level, text, null);
  }

  private static String localized(ResourceBundle bundle, String key) {
    if (bundle != null && key != null && bundle.containsKey(key)) {
      return bundle.getString(key);
    }
    return String.valueOf(key);
  }

  private void write(Level level, String text, Throwable thrown) {
    switch (level) {
      case ALL, TRACE -> log.trace(text, thrown);
      case DEBUG -> log.debug(text, thrown);
      case INFO -> log.info(text, thrown);
      case WARNING -> log.warn(text, thrown);
      case ERROR -> log.error(text, thrown);
      case OFF -> {}
    }
  }
}
