package io.uploadstream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package rules of the production code (contract, client and processor modules; Maven keeps the
 * modules themselves from pointing the wrong way): no cycle between packages, and every arrow
 * pointing inward — the core ({@code processor}, {@code upload}) never knows its observers ({@code
 * ops}, {@code progress}), the command line or the composition root ({@code app}); observers
 * implement the core's listener interfaces instead.
 */
class ArchitectureTest {
  private static final JavaClasses CODE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.uploadstream");

  @Test
  void packages_formNoCycle() {
    slices().matching("io.uploadstream.(*)..").should().beFreeOfCycles().check(CODE);
  }

  @Test
  void everyArrow_pointsInward() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("contract")
        .definedBy("io.uploadstream.contract..", "io.uploadstream.keys..")
        .layer("client")
        .definedBy("io.uploadstream.client..")
        .layer("config")
        .definedBy("io.uploadstream.config..")
        .layer("s3")
        .definedBy("io.uploadstream.s3..")
        .layer("upload")
        .definedBy("io.uploadstream.upload..")
        .layer("processor")
        .definedBy("io.uploadstream.processor..")
        .layer("observers")
        .definedBy("io.uploadstream.ops..", "io.uploadstream.progress..")
        .layer("app")
        .definedBy("io.uploadstream.app..")
        .layer("cli")
        .definedBy("io.uploadstream.cli..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("app")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("observers")
        .mayOnlyBeAccessedByLayers("app", "cli")
        .whereLayer("processor")
        .mayOnlyBeAccessedByLayers("observers", "app", "cli")
        .whereLayer("s3")
        .mayOnlyBeAccessedByLayers("config", "app")
        .whereLayer("upload")
        .mayOnlyBeAccessedByLayers("config", "processor", "observers", "app", "cli")
        .whereLayer("config")
        .mayOnlyBeAccessedByLayers("processor", "observers", "app", "cli")
        .whereLayer("client")
        .mayOnlyBeAccessedByLayers("config", "s3", "processor", "observers", "app", "cli")
        .check(CODE);
  }

  @Test
  void theCore_neverKnowsItsObservers_theCommandLine_orTheRoot() {
    noClasses()
        .that()
        .resideInAnyPackage("io.uploadstream.processor..", "io.uploadstream.upload..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.uploadstream.ops..",
            "io.uploadstream.progress..",
            "io.uploadstream.cli..",
            "io.uploadstream.app..")
        .check(CODE);
  }

  @Test
  void theUploader_knowsNothingOfKafka_orOfTheSettingsFiles() {
    noClasses()
        .that()
        .resideInAPackage("io.uploadstream.upload..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "io.uploadstream.config..", "io.uploadstream.processor..")
        .check(CODE);
  }

  @Test
  void theSharedModules_neverReachIntoTheProcessor() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.uploadstream.contract..", "io.uploadstream.keys..", "io.uploadstream.client..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.uploadstream.config..",
            "io.uploadstream.upload..",
            "io.uploadstream.s3..",
            "io.uploadstream.processor..",
            "io.uploadstream.ops..",
            "io.uploadstream.progress..",
            "io.uploadstream.app..",
            "io.uploadstream.cli..",
            "software.amazon.awssdk..")
        .check(CODE);
  }
}
