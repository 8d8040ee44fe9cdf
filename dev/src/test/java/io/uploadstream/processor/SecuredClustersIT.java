package io.uploadstream.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.uploadstream.client.ConfigException;
import io.uploadstream.contract.UploadRequest;
import io.uploadstream.contract.UploadResult;
import io.uploadstream.dev.EmbeddedKafka;
import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.testing.ChildProcess;
import io.uploadstream.testing.PipelineFixture;
import io.uploadstream.testing.SharedStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secured infrastructure: a broker that requires SASL/SCRAM, an S3 endpoint over HTTPS with a
 * private CA; and secrets that never show up in logs or results.
 */
class SecuredClustersIT {
  private static final String USER = "alice";
  private static final String PASSWORD = "alice-s3cr3t-pa55word";
  private static final String STORE_PASSWORD = "trust-me-n0t-in-logs";

  @TempDir static Path dir;
  static EmbeddedKafka broker;

  @BeforeAll
  static void broker() {
    broker = EmbeddedKafka.createWithScram(dir.resolve("kafka")).start(Duration.ofSeconds(90));
    broker.createScramUser(USER, PASSWORD);
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static PipelineFixture scramPipeline(Path files, String password) {
    EmbeddedS3 s3 = SharedStack.get().s3();
    return new PipelineFixture(
            broker.bootstrapServers(), s3.endpoint(), s3.accessKey(), s3.secretKey(), files, 2)
        .set("kafka.bootstrap.servers", broker.saslBootstrapServers())
        .set("kafka.security.protocol", "SASL_PLAINTEXT")
        .set("kafka.sasl.mechanism", "SCRAM-SHA-256")
        .set(
            "kafka.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER
                + "\" password=\""
                + password
                + "\";");
  }

  @Test
  void scramCredentialsFromConfiguration_connectAndProcess() throws Exception {
    Path files = Files.createDirectories(dir.resolve("scram-ok"));
    Path file = Files.writeString(files.resolve("hello.txt"), "over SASL/SCRAM");
    try (PipelineFixture pipeline = scramPipeline(files, PASSWORD)) {
      pipeline.startProcessor("scram");
      pipeline.publish(UploadRequest.of("scram-1", file.toString(), "secure"));

      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.results().size() == 1);
      assertThat(pipeline.results().get(0).status()).isEqualTo(UploadResult.Status.SUCCEEDED);
    }
  }

  @Test
  void wrongScramPassword_failsAtStart_withAClearMessage() throws Exception {
    Path files = Files.createDirectories(dir.resolve("scram-wrong"));
    try (PipelineFixture pipeline = scramPipeline(files, "not-the-password")) {
      assertThatThrownBy(() -> pipeline.startProcessor("wrong"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("kafka.bootstrap.servers")
          .hasMessageContaining("Authentication failed")
          .hasMessageNotContaining("not-the-password");
    }
  }

  @Test
  void s3OverHttps_withAPrivateCa_trustedThroughTheTrustStoreSetting() throws Exception {
    Path keyStore = dir.resolve("server.p12");
    Path trustStore = dir.resolve("trust.p12");
    createSelfSignedCertificate(keyStore, trustStore);
    Path files = Files.createDirectories(dir.resolve("https"));
    Path file = Files.writeString(files.resolve("tls.txt"), "over TLS");
    EmbeddedS3 https = EmbeddedS3.httpsInMemory(keyStore, STORE_PASSWORD).start();
    try (https;
        PipelineFixture pipeline = httpsPipeline(https, trustStore, files)) {
      pipeline.startProcessor("https");
      pipeline.publish(UploadRequest.of("https-1", file.toString(), "secure"));

      await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.results().size() == 1);
      UploadResult result = pipeline.results().get(0);
      assertThat(result.status()).isEqualTo(UploadResult.Status.SUCCEEDED);
      assertThat(result.cdnUrl()).startsWith("https://cdn.example.com/");
    }
  }

  @Test
  void s3OverHttps_withoutTheTrustStore_failsAtStart_namingTheBucketCheck() throws Exception {
    Path keyStore = dir.resolve("server2.p12");
    Path trustStore = dir.resolve("trust2.p12");
    createSelfSignedCertificate(keyStore, trustStore);
    EmbeddedS3 https = EmbeddedS3.httpsInMemory(keyStore, STORE_PASSWORD).start();
    Path files = Files.createDirectories(dir.resolve("https-untrusted"));
    try (https;
        PipelineFixture pipeline = httpsPipeline(https, trustStore, files)) {
      pipeline.set("s3.trust-store", "").set("s3.trust-store-password", "");
      assertThatThrownBy(() -> pipeline.startProcessor("untrusted"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("s3.bucket")
          .hasMessageContaining("PKIX");
    }
  }

  @Test
  void secrets_neverAppearInTheLogsOrResults_ofARunningProcessor() throws Exception {
    Path files = Files.createDirectories(dir.resolve("secrets"));
    Path file = Files.writeString(files.resolve("s.txt"), "secret-free");
    try (PipelineFixture pipeline = scramPipeline(files, PASSWORD)) {
      Path config = pipeline.writeConfig(dir.resolve("secrets.properties"), "secrets");
      try (ChildProcess processor =
          ChildProcess.uploadStream(
              dir.resolve("secrets.log"),
              List.of("-Xmx256m"),
              Map.of(),
              "run",
              "--config",
              config.toString())) {
        pipeline.publish(UploadRequest.of("secret-1", file.toString(), "secure"));
        await()
            .atMost(Duration.ofSeconds(90))
            .until(() -> pipeline.results().size() == 1 || !processor.isAlive());
        assertThat(processor.terminate(Duration.ofSeconds(60))).as(processor.output()).isZero();

        String everything =
            processor.output()
                + new String(pipeline.resultRecords().get(0).value(), StandardCharsets.UTF_8);
        assertThat(everything).contains("secret-1").contains("assigned [");
        assertThat(everything)
            .doesNotContain(PASSWORD)
            .doesNotContain(SharedStack.get().s3().secretKey());
      }
    }
  }

  private static PipelineFixture httpsPipeline(EmbeddedS3 https, Path trustStore, Path files) {
    return new PipelineFixture(
            SharedStack.get().kafka().bootstrapServers(),
            https.endpoint(),
            https.accessKey(),
            https.secretKey(),
            files,
            2,
            s3 -> trustingClient(s3, trustStore))
        .set("s3.trust-store", trustStore.toString())
        .set("s3.trust-store-password", STORE_PASSWORD);
  }

  private static software.amazon.awssdk.services.s3.S3Client trustingClient(
      io.uploadstream.s3.S3ConnectionSettings settings, Path trustStore) {
    return io.uploadstream.s3.S3Clients.create(
        settings.withTrustStore(
            new io.uploadstream.s3.S3ConnectionSettings.TrustStore(trustStore, STORE_PASSWORD)));
  }

  /** A key pair for 127.0.0.1 in {@code keyStore}, its certificate alone in {@code trustStore}. */
  private static void createSelfSignedCertificate(Path keyStore, Path trustStore) throws Exception {
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Path cert = keyStore.resolveSibling(keyStore.getFileName() + ".crt");
    run(
        keytool,
        "-genkeypair",
        "-alias",
        "s3",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-validity",
        "2",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-keystore",
        keyStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD,
        "-keypass",
        STORE_PASSWORD);
    run(
        keytool,
        "-exportcert",
        "-alias",
        "s3",
        "-keystore",
        keyStore.toString(),
        "-storepass",
        STORE_PASSWORD,
        "-rfc",
        "-file",
        cert.toString());
    run(
        keytool,
        "-importcert",
        "-noprompt",
        "-alias",
        "s3-ca",
        "-file",
        cert.toString(),
        "-keystore",
        trustStore.toString(),
        "-storetype",
        "PKCS12",
        "-storepass",
        STORE_PASSWORD);
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
