/**
 * The IPLD data model, blocks and the codecs (raw, dag-pb, dag-cbor, dag-json) that turn values
 * into content-addressed bytes and back, strictly as the IPLD specs define them.
 */
package dev.tally.ipld;
