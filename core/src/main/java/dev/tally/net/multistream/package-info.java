/**
 * multistream-select 1.0: the codec, the initiator and responder negotiators (with the spec's
 * limits and timeout), and the hand-over of bytes that arrived after the negotiation.
 */
package dev.tally.net.multistream;
