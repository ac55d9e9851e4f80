/**
 * UnixFS: imports files and directory trees into dag-pb/raw blocks exactly as Kubo and
 * ipfs-unixfs-importer lay them out, and exports them back (cat, ls, get).
 */
package dev.tally.unixfs;
