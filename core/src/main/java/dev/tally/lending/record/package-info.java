/**
 * The record kinds of a lending log (RECORDS.md) as immutable Java records, with their canonical
 * DAG-CBOR form {@code {kind, schema, loan?, refs?, valueDate, body}} and a strict decoder.
 */
package dev.tally.lending.record;
