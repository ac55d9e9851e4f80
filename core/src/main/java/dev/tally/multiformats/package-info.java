/**
 * Self-describing formats of the IPFS stack: unsigned varints, multibase, multihash, multicodec,
 * CIDs and multiaddrs. Everything here is an immutable value with a validating factory.
 */
package dev.tally.multiformats;
