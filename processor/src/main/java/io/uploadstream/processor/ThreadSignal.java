package io.uploadstream.processor;

import java.lang.reflect.Method;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interrupts a blocking system call of another thread, the way the JDK itself does when a channel
 * is closed under a blocked read: {@code sun.nio.ch.NativeThread} names the current native thread
 * and sends it a signal whose handler does nothing, so the call returns EINTR. For open(2) the JDK
 * retries at once, looking the name up again. Needs {@code --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED} (the jar's manifest grants it); without it, or off Linux and
 * macOS, {@link #current} is 0 and {@link #signal} does nothing.
 */
final class ThreadSignal {
  private static final Logger log = LoggerFactory.getLogger(ThreadSignal.class);
  private static final Optional<Methods> METHODS = Methods.find();

  private ThreadSignal() {}

  /** The calling thread's native id, or 0 when threads cannot be signalled here. */
  static long current() {
    return METHODS.map(Methods::current).orElse(0L);
  }

  /** Interrupts the blocking call {@code nativeThread} is in, if any; 0 is ignored. */
  static void signal(long nativeThread) {
    if (nativeThread != 0) {
      METHODS.ifPresent(methods -> methods.signal(nativeThread));
    }
  }

  private record Methods(Method currentThread, Method signalThread) {
    static Optional<Methods> find() {
      try {
        Class<?> nativeThread = Class.forName("sun.nio.ch.NativeThread");
        Method current = nativeThread.getDeclaredMethod("current");
        Method signal = nativeThread.getDeclaredMethod("signal", long.class);
        current.setAccessible(true);
        signal.setAccessible(true);
        return Optional.of(new Methods(current, signal));
      } catch (ReflectiveOperationException | RuntimeException e) {
        log.warn(
            "cannot signal threads ({}): a file open stuck on a FIFO that is then removed keeps its"
                + " thread (start the JVM with --add-opens java.base/sun.nio.ch=ALL-UNNAMED, as"
                + " java -jar upload-stream.jar does)",
            e.toString());
        return Optional.empty();
      }
    }

    long current() {
      try {
        return (Long) currentThread.invoke(null);
      } catch (ReflectiveOperationException e) {
        return 0;
      }
    }

    void signal(long nativeThread) {
      try {
        signalThread.invoke(null, nativeThread);
      } catch (ReflectiveOperationException e) {
        log.debug("could not signal a thread: {}", e.toString());
      }
    }
  }
}
