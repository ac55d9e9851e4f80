/**
 * The positions plugin: each lender's parts of loans, the cash flows each part received or paid,
 * secondary-market transfers and accrued interest, as JSON routes.
 */
package dev.tally.plugins.positions;
