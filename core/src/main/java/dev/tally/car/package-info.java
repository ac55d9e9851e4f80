/**
 * Content Addressable aRchives: streaming CARv1 writer, CARv1/CARv2 reader that checks every block
 * against its CID. One section is in memory at a time; every length prefix is bounded by limits.
 */
package dev.tally.car;
