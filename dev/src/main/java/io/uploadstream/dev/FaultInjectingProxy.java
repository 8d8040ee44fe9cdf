package io.uploadstream.dev;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 proxy on 127.0.0.1 in front of an S3 server that injects faults per request, for
 * tests and benchmarks. It serves one request per connection: it parses only the request head,
 * rewrites {@code Connection} to {@code close}, then relays bytes both ways untouched ({@code
 * Expect: 100-continue} included). A {@link Rule} picks an {@link Action} for each request; {@link
 * #track} counts matching requests and how many of them were in flight at once.
 */
public final class FaultInjectingProxy implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaultInjectingProxy.class);
  private static final int MAX_CONNECTIONS = 64;
  private static final int SOCKET_TIMEOUT_MILLIS = 60_000;

  /** The request head a rule looks at. Header names are lower case. */
  public record Request(String method, String path, String query, Map<String, String> headers) {
    public boolean isUploadPart() {
      return method.equals("PUT") && query.contains("partNumber=") && query.contains("uploadId=");
    }

    /** The {@code partNumber} query parameter, 0 if absent. */
    public int partNumber() {
      for (String parameter : query.split("&", -1)) {
        if (parameter.startsWith("partNumber=")) {
          return Integer.parseInt(parameter.substring("partNumber=".length()));
        }
      }
      return 0;
    }

    public long contentLength() {
      return Long.parseLong(headers.getOrDefault("content-length", "0"));
    }
  }

  /** What the proxy does with one request. */
  public sealed interface Action {
    /** Relay the request, after {@code delay} (a stall; zero for none). */
    record Forward(Duration delay) implements Action {}

    /** Answer with an S3 XML error without contacting the server. */
    record Respond(int status, String errorCode, String message) implements Action {}

    /** Relay the request but reset both connections after {@code bodyBytes} bytes of the body. */
    record Reset(long bodyBytes) implements Action {}

    static Action forward() {
      return new Forward(Duration.ZERO);
    }

    static Action stall(Duration delay) {
      return new Forward(delay);
    }

    static Action internalError() {
      return new Respond(500, "InternalError", "We encountered an internal error.");
    }

    static Action serviceUnavailable() {
      return new Respond(503, "ServiceUnavailable", "Service is unable to handle request.");
    }

    static Action slowDown() {
      return new Respond(503, "SlowDown", "Please reduce your request rate.");
    }

    static Action error(int status, String errorCode) {
      return new Respond(status, errorCode, errorCode);
    }

    static Action resetAfter(long bodyBytes) {
      return new Reset(bodyBytes);
    }
  }

  /** Chooses the action for a request; called on proxy threads, so it must be thread-safe. */
  @FunctionalInterface
  public interface Rule {
    Rule FORWARD_ALL = request -> Action.forward();

    Action decide(Request request);
  }

  /** Counts matching requests and the most of them in flight at once. */
  public static final class Gauge {
    private final Predicate<Request> matches;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();

    private Gauge(Predicate<Request> matches) {
      this.matches = matches;
    }

    public int count() {
      return count.get();
    }

    public int inFlight() {
      return inFlight.get();
    }

    public int maxInFlight() {
      return maxInFlight.get();
    }

    private void enter() {
      count.incrementAndGet();
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    private void exit() {
      inFlight.decrementAndGet();
    }
  }

  private final InetSocketAddress upstream;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Semaphore connectionSlots = new Semaphore(MAX_CONNECTIONS);
  private final Set<Socket> openSockets = ConcurrentHashMap.newKeySet();
  private final Queue<Gauge> gauges = new ConcurrentLinkedQueue<>();
  private final Queue<Request> requests = new ConcurrentLinkedQueue<>();
  private final Thread acceptor;
  private volatile Rule rule = Rule.FORWARD_ALL;
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean closed;

  private FaultInjectingProxy(URI upstream) throws IOException {
    this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    this.threads =
        new ThreadPoolExecutor(
            0,
            2 * MAX_CONNECTIONS,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            runnable -> {
              Thread thread = new Thread(runnable, "fault-proxy");
              thread.setDaemon(true);
              return thread;
            });
    this.acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
    acceptor.setDaemon(true);
  }

  /** Starts a proxy in front of the HTTP server at {@code upstream}, forwarding everything. */
  public static FaultInjectingProxy start(URI upstream) throws IOException {
    FaultInjectingProxy proxy = new FaultInjectingProxy(upstream);
    proxy.acceptor.start();
    return proxy;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  public FaultInjectingProxy rule(Rule newRule) {
    this.rule = Objects.requireNonNull(newRule, "rule");
    return this;
  }

  /** A delay added before every request is relayed (network latency). */
  public FaultInjectingProxy latency(Duration delay) {
    this.latency = Objects.requireNonNull(delay, "delay");
    return this;
  }

  public Gauge track(Predicate<Request> matches) {
    Gauge gauge = new Gauge(matches);
    gauges.add(gauge);
    return gauge;
  }

  /** Every request seen so far, in arrival order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    openSockets.forEach(FaultInjectingProxy::closeQuietly);
    threads.shutdownNow();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        connectionSlots.acquire();
        Socket client = server.accept();
        threads.execute(() -> handle(client));
      } catch (IOException | InterruptedException | RuntimeException e) {
        connectionSlots.release();
        if (!closed) {
          log.warn("fault proxy stopped accepting", e);
        }
        return;
      }
    }
  }

  private void handle(Socket client) {
    openSockets.add(client);
    List<Gauge> matched = new ArrayList<>();
    AtomicBoolean exited = new AtomicBoolean();
    Runnable exit =
        () -> {
          if (exited.compareAndSet(false, true)) {
            matched.forEach(Gauge::exit);
          }
        };
    try {
      client.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      InputStream fromClient = new BufferedInputStream(client.getInputStream());
      HttpHead head = HttpHead.read(fromClient);
      if (head == null) {
        return;
      }
      Request request = head.request();
      requests.add(request);
      gauges.stream().filter(g -> g.matches.test(request)).forEach(matched::add);
      matched.forEach(Gauge::enter);
      Action action = rule.decide(request);
      Thread.sleep(latency.toMillis());
      ProxiedExchange exchange = new ProxiedExchange(client, fromClient, head, exit);
      if (action instanceof Action.Respond respond) {
        exchange.respond(respond);
      } else if (action instanceof Action.Reset reset) {
        exchange.forward(upstream, SOCKET_TIMEOUT_MILLIS, threads, openSockets, reset.bodyBytes());
      } else if (action instanceof Action.Forward forward) {
        Thread.sleep(forward.delay().toMillis());
        exchange.forward(upstream, SOCKET_TIMEOUT_MILLIS, threads, openSockets, Long.MAX_VALUE);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      log.debug("fault proxy connection ended: {}", e.toString());
    } finally {
      exit.run();
      closeQuietly(client);
      openSockets.remove(client);
      connectionSlots.release();
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      log.debug("closing a proxy socket failed: {}", e.toString());
    }
  }
}
