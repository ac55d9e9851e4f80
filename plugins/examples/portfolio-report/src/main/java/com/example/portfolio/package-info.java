/**
 * An example third-party Tally plugin: a portfolio summary per currency from the lending state, and
 * record activity counted from the log into its own database.
 */
package com.example.portfolio;
