package dev.tally.cli;

import picocli.CommandLine.Command;

/** {@code tally lending}: lending records on a log, and the schedule calculator. */
@Command(
    name = "lending",
    description =
        "Write lending records to a log; compute repayment schedules; view loans, positions and"
            + " delinquency.",
    subcommands = {
      LendingScheduleCommand.class,
      LendingLoansCommand.class,
      LendingLoanCommand.class,
      LendingPositionsCommand.class,
      LendingDelinquencyCommand.class,
      LendingCommands.Register.class,
      LendingCommands.Request.class,
      LendingCommands.Offer.class,
      LendingCommands.Withdraw.class,
      LendingCommands.Reject.class,
      LendingProposals.Propose.class,
      LendingCommands.Agree.class,
      LendingProposals.Cancel.class,
      LendingCommands.Disburse.class,
      LendingCommands.Repay.class,
      LendingCommands.Charge.class,
      LendingCommands.Waive.class,
      LendingProposals.Reschedule.class,
      LendingCommands.WriteOff.class,
      LendingProposals.TransferPart.class,
      LendingCommands.Reverse.class,
      LendingAppendCommand.class,
      LendingFlaggedCommand.class
    })
final class LendingCommand {}
