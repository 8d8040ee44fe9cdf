package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PartPlanTest {
  private static final long MIB = UploaderSettings.MIB;
  private static final long GIB = 1024 * MIB;

  @ParameterizedTest(name = "{0} bytes at {1} → {2} × {3} bytes, single put {4}")
  @CsvSource({
    // fileSizeBytes, preferredPartSize, partCount, partSizeBytes, singlePut
    "0, 8388608, 1, 8388608, true",
    "1, 8388608, 1, 8388608, true",
    "8388607, 8388608, 1, 8388608, true",
    "8388608, 8388608, 1, 8388608, false",
    "8388609, 8388608, 2, 8388608, false",
    "52428800, 8388608, 7, 8388608, false",
    // 80,000 MiB fits 10,000 parts of 8 MiB exactly; one byte more grows the parts to 9 MiB
    "83886080000, 8388608, 10000, 8388608, false",
    "83886080001, 8388608, 8889, 9437184, false",
    // 100 GiB needs 10.24 MiB parts: rounded up to 11 MiB
    "107374182400, 8388608, 9310, 11534336, false",
    // 5 TiB, S3's largest object: 525 MiB parts
    "5497558138880, 8388608, 9987, 550502400, false",
    // preferred sizes below 5 MiB are raised; odd sizes are rounded up to a MiB
    "52428800, 1048576, 10, 5242880, false",
    "52428800, 6000000, 9, 6291456, false",
  })
  void of_sizesParts(
      long fileSizeBytes,
      long preferredPartSizeBytes,
      int partCount,
      long partSizeBytes,
      boolean singlePut) {
    PartPlan plan = PartPlan.of(fileSizeBytes, preferredPartSizeBytes);

    assertThat(plan.partCount()).isEqualTo(partCount);
    assertThat(plan.partSizeBytes()).isEqualTo(partSizeBytes);
    assertThat(plan.singlePut()).isEqualTo(singlePut);
    assertThat(plan.partCount()).isLessThanOrEqualTo(PartPlan.MAX_PARTS);
    assertThat(plan.partSizeBytes() % MIB).isZero();
  }

  @Test
  void of_fewerMaxParts_growsThePartsAsForAHugeFile() {
    PartPlan plan = PartPlan.of(30 * MIB, 5 * MIB, 4);

    assertThat(plan.partSizeBytes()).isEqualTo(8 * MIB);
    assertThat(plan.partCount()).isEqualTo(4);
    assertThat(plan.length(4)).isEqualTo(6 * MIB);
    assertThatThrownBy(() -> PartPlan.of(30 * MIB, 5 * MIB, 10_001))
        .hasMessageContaining("maxParts");
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({"8388608, 8388608", "1, 5242880", "6000000, 6291456", "6442450944, 5368709120"})
  void standardPartSizeBytes_isThePartSizeOfEveryFileThatFits(long preferred, long standard) {
    assertThat(PartPlan.standardPartSizeBytes(preferred)).isEqualTo(standard);
    assertThat(PartPlan.of(standard, preferred).partSizeBytes()).isEqualTo(standard);
  }

  @Test
  void length_ofAPartOver2GiB_isExact() {
    PartPlan plan = PartPlan.of(5 * GIB, 3 * GIB);

    assertThat(plan.length(1)).isEqualTo(3 * GIB);
    assertThat(plan.length(2)).isEqualTo(2 * GIB);
  }

  @Test
  void offsetAndLength_coverTheFileExactlyOnce() {
    PartPlan plan = PartPlan.of(50 * MIB, 8 * MIB);

    long covered = 0;
    for (int part = 1; part <= plan.partCount(); part++) {
      assertThat(plan.offset(part)).isEqualTo(covered);
      covered += plan.length(part);
    }

    assertThat(covered).isEqualTo(50 * MIB);
    assertThat(plan.length(1)).isEqualTo(8 * MIB);
    assertThat(plan.length(7)).isEqualTo(2 * MIB);
  }

  @Test
  void singlePut_isOneWholeFilePartReportedAsNoParts() {
    PartPlan plan = PartPlan.of(1234, 8 * MIB);

    assertThat(plan.offset(1)).isZero();
    assertThat(plan.length(1)).isEqualTo(1234);
    assertThat(plan.reportedPartCount()).isZero();
    assertThat(PartPlan.of(0, 8 * MIB).length(1)).isZero();
  }

  @Test
  void partNumber_outsidePlan_isRejected() {
    PartPlan plan = PartPlan.of(20 * MIB, 8 * MIB);

    assertThatThrownBy(() -> plan.offset(0)).hasMessageContaining("[1, 3], was 0");
    assertThatThrownBy(() -> plan.length(4)).hasMessageContaining("[1, 3], was 4");
  }

  @Test
  void of_negativeOrOversizedFile_isRejected() {
    assertThatThrownBy(() -> PartPlan.of(-1, 8 * MIB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> PartPlan.of(5 * 1024 * GIB + 1, 8 * MIB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("5 TiB");
  }
}
