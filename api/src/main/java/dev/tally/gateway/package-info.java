/**
 * The HTTP gateway: trustless responses (raw blocks and CAR streams) and the path gateway's UnixFS
 * files and directory listings under {@code /ipfs/CID/path}. Read-only.
 */
package dev.tally.gateway;
