package dev.souq.devstack;

import java.io.PrintStream;

/** The launcher's voice: one line per step on the terminal that ran {@code ./run}. */
final class Console {
  // The launcher is a command-line tool, not a service: its progress lines belong on stdout.
  private static final PrintStream OUT = System.out;

  private Console() {}

  static void line(String format, Object... args) {
    OUT.printf(format + "%n", args);
    OUT.flush();
  }
}
