/**
 * The plugin host: finds plugins (classpath and {@code <repo>/plugins/*.jar}, each jar in its own
 * class loader that sees only the SPI), runs each on its own threads under time limits, feeds them
 * verified entries and lending state, and serves their routes under {@code /plugins/<name>/}.
 */
package dev.tally.plugin;
