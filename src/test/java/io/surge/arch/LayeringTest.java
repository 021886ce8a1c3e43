package io.surge.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Holds the folder layering of DESIGN.md section 3, which the compiler cannot see. */
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.surge");
  }

  @Test
  void foldersDependOnlyOnTheLayersDesignAllows() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("io.surge..")
        .layer("schemas")
        .definedBy("io.surge.schema..")
        .layer("state")
        .definedBy("io.surge.state..")
        .layer("policy")
        .definedBy("io.surge.policy..")
        .layer("sim")
        .definedBy("io.surge.sim..")
        .layer("serving")
        .definedBy("io.surge.serving..")
        .layer("operators")
        .definedBy("io.surge.operators..")
        .layer("jobs")
        .definedBy("io.surge.jobs..")
        .whereLayer("jobs")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("operators")
        .mayOnlyBeAccessedByLayers("jobs")
        .whereLayer("sim")
        .mayOnlyBeAccessedByLayers("jobs")
        .whereLayer("serving")
        .mayOnlyBeAccessedByLayers("operators", "jobs")
        .whereLayer("policy")
        .mayOnlyBeAccessedByLayers("sim", "operators", "jobs")
        .whereLayer("state")
        .mayOnlyBeAccessedByLayers("policy", "sim", "serving", "operators", "jobs")
        .withOptionalLayers(true)
        .check(classes);
  }

  @Test
  void policyAndSimulatorCodeIsFlinkFree() {
    noClasses()
        .that()
        .resideInAnyPackage("io.surge.state..", "io.surge.policy..", "io.surge.sim..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
        .allowEmptyShould(true)
        .check(classes);
  }
}
