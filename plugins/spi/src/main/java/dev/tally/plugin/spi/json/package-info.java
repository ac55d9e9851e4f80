/**
 * A small JSON writer, so that plugins can answer in JSON with the JDK and this SPI alone (no JSON
 * library to bundle or to clash with another plugin's).
 */
package dev.tally.plugin.spi.json;
