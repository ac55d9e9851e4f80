/**
 * Adapters from the node's verified log and lending state to the plugin SPI's view types, so that
 * plugins never see (or depend on) the node's own classes.
 */
package dev.tally.plugin.source;
