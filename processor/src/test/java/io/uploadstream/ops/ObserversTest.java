package io.uploadstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.uploadstream.processor.ProcessorListener;
import io.uploadstream.upload.UploadListener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The composite listener forwards every method of both listener interfaces, checked against the
 * interfaces by reflection: a method added to either is forwarded or this test fails.
 */
class ObserversTest {

  /** One call a recording listener received. */
  record Call(Method method, List<Object> args) {}

  static Stream<Method> listenerMethods() {
    return Stream.of(ProcessorListener.class, UploadListener.class)
        .flatMap(type -> Arrays.stream(type.getMethods()))
        .filter(method -> !Modifier.isStatic(method.getModifiers()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("listenerMethods")
  void everyListenerMethod_reachesEveryListener_withItsArguments(Method method) throws Exception {
    List<Call> first = new ArrayList<>();
    List<Call> second = new ArrayList<>();
    Observers observers =
        new Observers(
            List.of(
                recording(ProcessorListener.class, first),
                recording(ProcessorListener.class, second)),
            List.of(
                recording(UploadListener.class, first), recording(UploadListener.class, second)));
    Object[] args = Arrays.stream(method.getParameterTypes()).map(ObserversTest::sample).toArray();

    method.invoke(observers, args);

    Call expected = new Call(method, Arrays.asList(args));
    assertThat(first).containsExactly(expected);
    assertThat(second).containsExactly(expected);
  }

  @Test
  void aListenerThatThrows_isSkipped_theOthersStillHear() {
    List<Call> heard = new ArrayList<>();
    ProcessorListener broken =
        new ProcessorListener() {
          @Override
          public void requestAccepted(String requestId) {
            throw new IllegalStateException("broken observer");
          }
        };
    Observers observers =
        new Observers(List.of(broken, recording(ProcessorListener.class, heard)), List.of());

    observers.requestAccepted("r-1");

    assertThat(heard)
        .extracting(call -> call.method().getName())
        .containsExactly("requestAccepted");
  }

  private static <L> L recording(Class<L> type, List<Call> calls) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("toString") ? "recording " + type : null;
              }
              calls.add(new Call(method, args == null ? List.of() : Arrays.asList(args)));
              return null;
            }));
  }

  /** A distinct value of each parameter type (null for types no test value is needed for). */
  private static Object sample(Class<?> type) {
    if (type == int.class) {
      return 7;
    }
    if (type == long.class) {
      return 42L;
    }
    if (type == boolean.class) {
      return true;
    }
    if (type == String.class) {
      return "req-1";
    }
    if (Throwable.class.isAssignableFrom(type)) {
      return new IllegalStateException("cause");
    }
    if (type == java.time.Duration.class) {
      return java.time.Duration.ofMillis(3);
    }
    if (type == java.util.Set.class) {
      return java.util.Set.of();
    }
    return null;
  }
}
