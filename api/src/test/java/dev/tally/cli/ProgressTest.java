package dev.tally.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {
  @Test
  void showsOnATerminalUnlessQuietAndAlwaysAsAsked() {
    assertTrue(Progress.enabled(null, false, true));
    assertFalse(Progress.enabled(null, false, false), "not a terminal: no bar");
    assertFalse(Progress.enabled(null, true, true), "-q: no bar");
    assertTrue(Progress.enabled(true, true, false), "--progress forces it");
    assertFalse(Progress.enabled(false, false, true), "--progress=false hides it");
  }

  @Test
  void aDisabledBarWritesNothing() throws Exception {
    StringWriter err = new StringWriter();
    Progress bar = Progress.start(false, new PrintWriter(err), 100);
    try (InputStream in = bar.counting(new ByteArrayInputStream(new byte[100]))) {
      in.readAllBytes();
    }
    bar.set(5, "5 blocks");
    bar.finish();
    assertEquals("", err.toString());
  }

  @Test
  void aBarWithATotalEndsAtItsShareAndOneNewline() throws Exception {
    StringWriter err = new StringWriter();
    Progress bar = Progress.start(true, new PrintWriter(err), 4096);
    try (InputStream in = bar.counting(new ByteArrayInputStream(new byte[2048]))) {
      in.read(new byte[1024]);
      in.read(new byte[1024]); // within the redraw interval: only finish draws this
    }
    bar.finish();
    bar.finish();
    String out = err.toString();
    assertTrue(out.startsWith("\r1.00 KiB / 4.00 KiB ["), out);
    assertTrue(out.contains("\r2.00 KiB / 4.00 KiB ["), out);
    assertTrue(out.endsWith(" 50.00%" + System.lineSeparator()), out);
    assertEquals(1, out.split(System.lineSeparator(), -1).length - 1, "one line end: " + out);
  }

  @Test
  void aBarWithoutATotalShowsTheCountAndTheNote() {
    StringWriter err = new StringWriter();
    Progress bar = Progress.start(true, new PrintWriter(err), -1);
    bar.set(3 * 1024 * 1024, "12 blocks");
    bar.finish();
    assertTrue(err.toString().contains("\r3.00 MiB 12 blocks"), err.toString());
  }
}
