/**
 * The delinquency plugin: days past due per loan, arrears buckets and portfolio at risk (PAR30,
 * PAR90) per currency, as JSON routes.
 */
package dev.tally.plugins.delinquency;
