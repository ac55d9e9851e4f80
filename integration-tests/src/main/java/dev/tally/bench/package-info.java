/**
 * Benchmarks of Tally's hot paths (JMH) and of whole imports (ImportBench), each printed next to an
 * anchor measured in the same run so the ratio, not the machine, is what gets compared.
 */
package dev.tally.bench;
