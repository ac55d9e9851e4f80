/**
 * The loan-book plugin: every loan with its status, outstanding by component, schedule (paid and
 * due per installment) and next due, and portfolio totals per currency, as JSON routes.
 */
package dev.tally.plugins.loanbook;
