package io.uploadstream.dev;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.Exit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (broker and controller in one process), started in
 * this JVM from the Maven Central artifacts. Its data lives under {@code dataDir}; the cluster id
 * is saved there so a restart reuses the formatted storage and loses nothing.
 *
 * <p>Run {@link #main} to host the broker in a child JVM, which fault tests kill and restart.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String CLUSTER_ID_FILE = "cluster.id";

  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final int saslPort;
  private final Map<String, String> extraProperties;
  private volatile KafkaRaftServer server;

  private EmbeddedKafka(
      Path dataDir,
      int port,
      int controllerPort,
      int saslPort,
      Map<String, String> extraProperties) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.saslPort = saslPort;
    this.extraProperties = Map.copyOf(extraProperties);
  }

  /**
   * A broker with a second listener, {@code SASL_PLAINTEXT} with SCRAM-SHA-256, beside the
   * plaintext one (which tests use to create users: {@link #createScramUser}).
   */
  public static EmbeddedKafka createWithScram(Path dataDir) {
    return new EmbeddedKafka(dataDir, freePort(), freePort(), freePort(), Map.of());
  }

  /** A broker on {@code port} (0 picks a free one), not yet started. */
  public static EmbeddedKafka create(Path dataDir, int port) {
    return create(dataDir, port, Map.of());
  }

  /**
   * A broker whose {@code server.properties} are extended (or overridden) by {@code
   * extraProperties}, e.g. to add a SASL listener.
   */
  public static EmbeddedKafka create(Path dataDir, int port, Map<String, String> extraProperties) {
    int brokerPort = port == 0 ? freePort() : port;
    return new EmbeddedKafka(dataDir, brokerPort, freePort(), 0, extraProperties);
  }

  /** Formats the storage on first use, starts the broker and waits until it answers. */
  public EmbeddedKafka start(Duration timeout) {
    interceptHalt();
    Properties props = serverProperties();
    formatStorage(props);
    KafkaRaftServer raftServer =
        new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    raftServer.startup();
    server = raftServer;
    awaitReady(timeout);
    log.info("Kafka broker ready at {} (data in {})", bootstrapServers(), dataDir);
    return this;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The SCRAM listener's address (brokers made by {@link #createWithScram}). */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("this broker has no SASL listener");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** Creates (or updates) a SCRAM-SHA-256 user, through the plaintext listener. */
  public void createScramUser(String user, String password) {
    try (Admin admin = admin()) {
      admin
          .alterUserScramCredentials(
              List.of(
                  new UserScramCredentialUpsertion(
                      user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password)))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating a SCRAM user", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create SCRAM user " + user, e);
    }
  }

  /**
   * Creates topics that do not exist yet (existing ones are left as they are) and waits until the
   * broker serves every partition of them, so clients started next find them.
   */
  public void createTopics(Collection<NewTopic> topics) {
    createTopics(bootstrapServers(), topics);
  }

  /** {@link #createTopics(Collection)} on any cluster (a container, a remote broker). */
  public static void createTopics(String bootstrapServers, Collection<NewTopic> topics) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      for (NewTopic topic : topics) {
        try {
          admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("cannot create topic " + topic.name(), e.getCause());
          }
        }
      }
      awaitLeaders(admin, topics.stream().map(NewTopic::name).toList());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out creating topics", e);
    }
  }

  private static void awaitLeaders(Admin admin, List<String> names)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        boolean ready =
            admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null);
        if (ready) {
          return;
        }
      } catch (ExecutionException e) {
        // not visible yet: metadata reaches the broker shortly after the controller accepts it
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("topics " + names + " not served after 30 s");
      }
      Thread.onSpinWait();
    }
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  @Override
  public void close() {
    KafkaRaftServer raftServer = server;
    if (raftServer == null) {
      return;
    }
    server = null;
    raftServer.shutdown();
    raftServer.awaitShutdown();
    log.info("Kafka broker at {} stopped", bootstrapServers());
  }

  private Properties serverProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("node.id", "1");
    p.put("process.roles", "broker,controller");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    if (saslPort != 0) {
      addScramListener(p);
    }
    p.put("log.dirs", dataDir.resolve("logs").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // Share groups (processor.consumption=share) need nothing else on Kafka 4.4: fewer state
    // partitions on one node, and a lock floor low enough for tests to renew within seconds.
    p.put("share.coordinator.state.topic.num.partitions", "5");
    p.put("group.share.min.record.lock.duration.ms", "1000");
    // A share member is assigned partitions at its heartbeats (5 s apart by default): joining, and
    // readiness, take seconds less with 1 s.
    p.put("group.share.min.heartbeat.interval.ms", "1000");
    p.put("group.share.heartbeat.interval.ms", "1000");
    p.put("group.initial.rebalance.delay.ms", "0");
    // A crashed processor's open transaction blocks read_committed readers until it is aborted:
    // transaction.timeout.ms (8 s, the processor's) + this check interval (Kafka's: 10 s).
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    // The default dedupe buffer takes 128 MiB of heap; nothing here needs it.
    p.put("log.cleaner.dedupe.buffer.size", "4194304");
    p.put("auto.create.topics.enable", "false");
    p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
    p.putAll(extraProperties);
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  /** A SASL_PLAINTEXT listener with SCRAM-SHA-256 beside the plaintext one. */
  private void addScramListener(Map<String, String> p) {
    p.put("listeners", p.get("listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    p.put(
        "advertised.listeners",
        p.get("advertised.listeners") + ",SASL_PLAINTEXT://127.0.0.1:" + saslPort);
    p.put(
        "listener.security.protocol.map",
        p.get("listener.security.protocol.map") + ",SASL_PLAINTEXT:SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", "SCRAM-SHA-256");
    p.put(
        "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
  }

  private void formatStorage(Properties props) {
    try {
      Files.createDirectories(dataDir);
      Path configFile = dataDir.resolve("server.properties");
      try (var out = Files.newOutputStream(configFile)) {
        props.store(out, "written by upload-stream's embedded broker");
      }
      String clusterId = clusterId();
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      int exit;
      try (PrintStream printer = new PrintStream(output, true, StandardCharsets.UTF_8)) {
        String[] args = {
          "format",
          "--cluster-id",
          clusterId,
          "--config",
          configFile.toString(),
          "--ignore-formatted"
        };
        exit = StorageTool.execute(args, printer);
      }
      if (exit != 0) {
        throw new IllegalStateException(
            "formatting Kafka storage in "
                + dataDir
                + " failed: "
                + output.toString(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
    }
  }

  /** The storage is bound to its cluster id: keep it beside the data so restarts reuse it. */
  private String clusterId() throws IOException {
    Path idFile = dataDir.resolve(CLUSTER_ID_FILE);
    if (Files.exists(idFile)) {
      return Files.readString(idFile).trim();
    }
    String id = Uuid.randomUuid().toString();
    Files.writeString(idFile, id);
    return id;
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Admin admin = admin()) {
      while (true) {
        try {
          admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
          return;
        } catch (ExecutionException | TimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Kafka broker not ready after " + timeout, e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the broker", e);
    }
  }

  /**
   * On a fatal fault the broker halts the JVM. In a shared JVM (tests, {@code dev}) that would take
   * the processor down with it: log instead and let the caller see the broker fail.
   */
  private static void interceptHalt() {
    Exit.setHaltProcedure(
        (status, message) ->
            log.error("embedded Kafka broker asked to halt the JVM ({}): {}", status, message));
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port", e);
    }
  }

  /**
   * Child-JVM entry point: {@code EmbeddedKafka DATA_DIR PORT}. Prints {@code READY host:port} once
   * the broker answers, then runs until killed.
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: EmbeddedKafka DATA_DIR PORT");
      System.exit(2);
    }
    EmbeddedKafka kafka = create(Path.of(args[0]), Integer.parseInt(args[1]));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                }));
    kafka.start(Duration.ofSeconds(60));
    System.out.println("READY " + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
  }
}
