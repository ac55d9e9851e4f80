package dev.tally.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tally.log.LogVerificationException.Kind;
import org.junit.jupiter.api.function.Executable;

final class Rejects {
  private Rejects() {}

  static void assertRejected(Kind kind, Executable action) {
    LogVerificationException e = assertThrows(LogVerificationException.class, action);
    assertEquals(kind, e.kind(), e.getMessage());
  }
}
