/** Interop tests of Tally's libp2p host against a real js-libp2p 3 node started from npm. */
package dev.tally.it.net;
