/**
 * The libp2p Noise security handshake ({@code /noise}: Noise_XX_25519_ChaChaPoly_SHA256 with signed
 * identity payloads) and the encrypted, length-framed {@link dev.tally.net.Duplex} it yields.
 */
package dev.tally.net.noise;
