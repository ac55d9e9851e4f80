/**
 * What a Tally plugin implements ({@link dev.tally.plugin.spi.TallyPlugin}) and what the node gives
 * it ({@link dev.tally.plugin.spi.PluginContext}). JDK only; see {@link SpiVersion} for the
 * compatibility rules.
 */
package dev.tally.plugin.spi;
