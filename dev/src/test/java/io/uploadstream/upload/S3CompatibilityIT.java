package io.uploadstream.upload;

import static io.uploadstream.upload.Finding.Verdict.DEVIATES;
import static io.uploadstream.upload.Finding.Verdict.IGNORED;
import static io.uploadstream.upload.Finding.Verdict.REJECTED;
import static io.uploadstream.upload.Finding.Verdict.SUPPORTED;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.uploadstream.dev.EmbeddedS3;
import io.uploadstream.s3.S3ConnectionSettings;
import io.uploadstream.testing.S3MockServer;
import io.uploadstream.upload.Finding.Verdict;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@link StoreProbe} against both S3 implementations the tests run on, asserting what each
 * does, so the README's compatibility table comes from a test run: it is written to {@code
 * target/s3-compatibility.md}. A probe not listed for a store must be SUPPORTED; when a store's
 * behaviour changes (a new version), this fails and the table is redone.
 */
class S3CompatibilityIT {
  private static final String S3PROXY = "S3Proxy 4.1.1";
  private static final String S3MOCK = "S3Mock 5.2.0";

  /** Where S3Proxy (in-process, as EmbeddedS3 configures it) differs from S3. */
  private static final Map<String, Verdict> S3PROXY_DIFFERS =
      Map.of(
          "abort: upload gone, 404 NoSuchUpload", DEVIATES,
          "Complete: wrong part CRC32C refused", IGNORED,
          "ListParts: part CRC32C returned", IGNORED,
          // No tagging: a strict S3Proxy (EmbeddedS3 is one) answers x-amz-tagging with 501.
          "PutObject x-amz-tagging", REJECTED,
          "CreateMultipartUpload x-amz-tagging", REJECTED,
          "x-amz-tagging values URL-decoded", REJECTED,
          "GetObject: x-amz-tagging-count", REJECTED,
          "CreateMultipartUpload STANDARD_IA", IGNORED,
          "PutObject aws:kms unknown key refused", IGNORED);

  /** Where S3Mock (child JVM, as S3MockServer configures it) differs from S3. */
  private static final Map<String, Verdict> S3MOCK_DIFFERS =
      Map.ofEntries(
          entry("abort one of two uploads of a key: other kept", DEVIATES),
          entry("abort an upload of a key: the key's object kept", DEVIATES),
          // refused, but 400 BadRequest where S3 answers BadDigest
          entry("PutObject: wrong CRC32C header refused", DEVIATES),
          entry("UploadPart: wrong CRC32C header refused", DEVIATES),
          entry("PutObject: wrong Content-MD5 refused", DEVIATES),
          entry("UploadPart: wrong Content-MD5 refused", IGNORED),
          entry("Complete: wrong part CRC32C refused", IGNORED),
          entry("x-amz-tagging values URL-decoded", DEVIATES),
          entry("GetObject: x-amz-tagging-count", IGNORED),
          entry("CreateMultipartUpload AES256", IGNORED),
          entry("PutObject aws:kms with key ARN", REJECTED),
          entry("CreateMultipartUpload aws:kms with key id", IGNORED),
          entry("unsigned GET refused (403)", IGNORED));

  private static final CompatibilityReport REPORT =
      new CompatibilityReport(List.of(S3PROXY, S3MOCK));

  private static EmbeddedS3 s3proxy;
  private static ProbeTarget s3proxyTarget;
  private static ProbeTarget s3mockTarget;

  @BeforeAll
  static void startStores() {
    s3proxy = EmbeddedS3.inMemory().start();
    s3proxyTarget = target(s3proxy.endpoint(), s3proxy.accessKey(), s3proxy.secretKey());
    S3MockServer s3mock = S3MockServer.shared();
    s3mockTarget = target(s3mock.endpoint(), s3mock.accessKey(), s3mock.secretKey());
  }

  private static ProbeTarget target(URI endpoint, String accessKey, String secretKey) {
    return new ProbeTarget(
        S3ConnectionSettings.endpoint(endpoint, "us-east-1", accessKey, secretKey),
        S3MockServer.KMS_KEY_ID);
  }

  @AfterAll
  static void writeReportAndStop() throws Exception {
    REPORT.write(Path.of("target", "s3-compatibility.md"));
    s3proxyTarget.close();
    s3mockTarget.close();
    s3proxy.close();
  }

  @TestFactory
  Stream<DynamicContainer> everyProbeOnEveryStore() {
    return Stream.of(
        probes(S3PROXY, () -> s3proxyTarget, S3PROXY_DIFFERS),
        probes(S3MOCK, () -> s3mockTarget, S3MOCK_DIFFERS));
  }

  @Test
  void expectations_nameExistingProbes() {
    List<String> names = StoreProbe.ALL.stream().map(StoreProbe::name).toList();
    assertThat(names).doesNotHaveDuplicates().containsAll(S3PROXY_DIFFERS.keySet());
    assertThat(names).containsAll(S3MOCK_DIFFERS.keySet());
  }

  /** A scenario skipped for a store's gap is skipped for a gap this class measures. */
  @Test
  void storeGaps_areShownByTheirProbes() {
    for (StoreGap gap : StoreGap.OF_S3MOCK) {
      assertThat(S3MOCK_DIFFERS).as(gap.toString()).containsKey(gap.probe);
    }
    for (StoreGap gap : StoreGap.OF_S3PROXY) {
      assertThat(S3PROXY_DIFFERS).as(gap.toString()).containsKey(gap.probe);
    }
  }

  private static DynamicContainer probes(
      String store, Supplier<ProbeTarget> target, Map<String, Verdict> differs) {
    return dynamicContainer(
        store,
        StoreProbe.ALL.stream()
            .map(
                probe ->
                    dynamicTest(
                        probe.feature() + ": " + probe.name(),
                        () -> {
                          Finding finding = probe.run().on(target.get());
                          REPORT.record(store, probe, finding);
                          assertThat(finding.verdict())
                              .as("%s, %s: %s", store, probe.name(), finding.evidence())
                              .isEqualTo(differs.getOrDefault(probe.name(), SUPPORTED));
                        })));
  }
}
