/**
 * The {@code tally} command line: Kubo-compatible commands, flags, output and exit codes over a
 * local repository (and, later, a running daemon).
 */
package dev.tally.cli;
