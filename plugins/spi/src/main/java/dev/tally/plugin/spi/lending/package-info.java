/**
 * The lending state as plugins see it: immutable views of loans, schedules, lender parts and cash
 * flows, owned by the SPI (never the node's own classes) and tagged with the heads they reflect.
 */
package dev.tally.plugin.spi.lending;
