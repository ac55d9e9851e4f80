/**
 * Content routing: who can provide a CID, and telling others that we can. Backed by the connected
 * peers today; shaped so that a Kademlia DHT can implement the same interface.
 */
package dev.tally.exchange.routing;
