/**
 * HTTP routes a plugin serves under {@code /plugins/<name>/} on the node's API server: plain
 * request and response values, no web framework.
 */
package dev.tally.plugin.spi.http;
