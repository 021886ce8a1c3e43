package io.surge.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
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
        .layer("train")
        .definedBy("io.surge.train..")
        .layer("serving")
        .definedBy("io.surge.serving..")
        .layer("operators")
        .definedBy("io.surge.operators..")
        .layer("jobs")
        .definedBy("io.surge.jobs..")
        .layer("cli")
        .definedBy("io.surge.cli..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("jobs")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("operators")
        .mayOnlyBeAccessedByLayers("jobs", "cli")
        .whereLayer("train")
        .mayOnlyBeAccessedByLayers("operators", "jobs", "cli")
        .whereLayer("sim")
        .mayOnlyBeAccessedByLayers("train", "operators", "jobs", "cli")
        .whereLayer("serving")
        .mayOnlyBeAccessedByLayers("operators", "jobs", "cli")
        .whereLayer("policy")
        .mayOnlyBeAccessedByLayers("sim", "train", "operators", "jobs", "cli")
        .whereLayer("state")
        .mayOnlyBeAccessedByLayers("policy", "sim", "train", "serving", "operators", "jobs", "cli")
        .whereLayer("schemas")
        .mayNotAccessAnyLayer()
        .withOptionalLayers(true)
        .check(classes);
  }

  @Test
  void codeThatRunsAPolicyNeverDependsOnCodeThatLearnsOne() {
    // only the online trainer's own operators (operators/learn) and the jobs/commands that wire
    // them may use train/; the scheduler's operators and policy/ must not
    noClasses()
        .that()
        .resideInAnyPackage("io.surge.policy..", "io.surge.operators..", "io.surge.jobs..")
        .and()
        .resideOutsideOfPackages("io.surge.operators.learn..", "io.surge.jobs.learn..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.surge.train..", "io.surge.sim..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void modelAndLearningCodeIsFlinkFree() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.surge.schema..",
            "io.surge.state..",
            "io.surge.sim..",
            "io.surge.train..",
            "io.surge.serving..")
        .should()
        .dependOnClassesThat(resideInAnyPackage("org.apache.flink..", "org.apache.kafka.."))
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void policyCodeUsesOnlyFlinkMlsServableApi() {
    // Flink ML's servable API (flink-ml-servable-core: the servable interfaces, the DataFrame's
    // vectors, and the params every servable has) is a Flink-free library by design (DESIGN.md
    // section 3); nothing else of Flink, and no Kafka
    noClasses()
        .that()
        .resideInAPackage("io.surge.policy..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
                .and(
                    not(
                        resideInAnyPackage(
                            "org.apache.flink.ml.servable..",
                            "org.apache.flink.ml.param..",
                            "org.apache.flink.ml.linalg"))))
        .allowEmptyShould(true)
        .check(classes);
  }
}
