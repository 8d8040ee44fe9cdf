package io.uploadstream.cli;

import java.io.Console;

/** Whether the standard streams are a terminal, on Java 17 and on newer JDKs alike. */
final class Terminal {
  private Terminal() {}

  /**
   * True when a person is watching: progress bars are drawn then. Up to Java 21 a console exists
   * only on a terminal; from Java 22 {@link System#console()} always answers one, and its {@code
   * isTerminal()} (absent on 17) tells.
   */
  @SuppressWarnings("SystemConsoleNull") // null is the answer up to 21; isTerminal() after
  static boolean isInteractive() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // Java 17 to 21: the console's existence is the answer
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
