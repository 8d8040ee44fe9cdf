package io.uploadstream.processor;

import io.uploadstream.dev.FaultInjectingProxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Holds the matching requests at a {@link FaultInjectingProxy} (counted on arrival, in flight while
 * held) until the test opens the gate; everything else is forwarded. Requests arriving after the
 * gate opened pass at once.
 */
final class StoreGate {
  private static final long LONGEST_HOLD_MINUTES = 10;
  private final CountDownLatch open = new CountDownLatch(1);

  /** Installs the gate as the proxy's rule. */
  static StoreGate holding(FaultInjectingProxy proxy, Predicate<FaultInjectingProxy.Request> held) {
    StoreGate gate = new StoreGate();
    proxy.rule(
        request -> {
          if (held.test(request)) {
            gate.await();
          }
          return FaultInjectingProxy.Action.forward();
        });
    return gate;
  }

  void open() {
    open.countDown();
  }

  private void await() {
    try {
      if (!open.await(LONGEST_HOLD_MINUTES, TimeUnit.MINUTES)) {
        throw new IllegalStateException("the test never opened the gate");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the proxy is closing
    }
  }
}
