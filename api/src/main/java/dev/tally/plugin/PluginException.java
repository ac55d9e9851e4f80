package dev.tally.plugin;

/** A plugin could not be loaded or configured; the message names the plugin and the cause. */
public final class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PluginException(String message) {
    super(message);
  }

  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
