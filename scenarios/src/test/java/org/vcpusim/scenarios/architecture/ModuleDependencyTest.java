package org.vcpusim.scenarios.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module layering of DESIGN.md true: {@code sim-core <- sim-cpu <- sim-kernel <-
 * scenarios}, and no cycles between packages anywhere in the project.
 *
 * <p>Maven already refuses a module that imports a module it does not declare; this test also
 * catches what Maven cannot: a lower module growing a dependency on a higher one through a pom
 * edit, and cycles between packages inside one module.
 */
class ModuleDependencyTest {
  private static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("org.vcpusim");
  }

  static ArchRule layering() {
    return layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("org.vcpusim..")
        .layer("core").definedBy("org.vcpusim.core..")
        .layer("cpu").definedBy("org.vcpusim.cpu..")
        .layer("kernel").definedBy("org.vcpusim.kernel..")
        .layer("scenarios").definedBy("org.vcpusim.scenarios..")
        .whereLayer("scenarios").mayNotBeAccessedByAnyLayer()
        .whereLayer("kernel").mayOnlyBeAccessedByLayers("scenarios")
        .whereLayer("cpu").mayOnlyBeAccessedByLayers("kernel", "scenarios")
        .whereLayer("core").mayOnlyBeAccessedByLayers("cpu", "kernel", "scenarios")
        .withOptionalLayers(true);
  }

  static ArchRule noPackageCycles() {
    return slices().matching("org.vcpusim.(**)").should().beFreeOfCycles();
  }

  @Test
  void modulesDependOnlyDownwards() {
    assertFalse(production.isEmpty(), "no production classes were imported");
    layering().check(production);
  }

  @Test
  void packagesHaveNoCycles() {
    noPackageCycles().allowEmptyShould(true).check(production);
  }

  /** The rules must be able to fail: a core class that reaches up into scenarios is refused. */
  @Test
  void layeringRuleRejectsAnUpwardDependency() {
    JavaClasses offending =
        new ClassFileImporter()
            .importClasses(
                org.vcpusim.core.fixture.UpwardDependency.class,
                org.vcpusim.scenarios.cli.ExitCodes.class);
    assertThrows(AssertionError.class, () -> layering().check(offending));
  }

  /** The cycle rule must be able to fail too. */
  @Test
  void cycleRuleRejectsAPackageCycle() {
    JavaClasses offending =
        new ClassFileImporter()
            .importClasses(
                org.vcpusim.core.fixture.cycle.a.A.class, org.vcpusim.core.fixture.cycle.b.B.class);
    assertThrows(AssertionError.class, () -> noPackageCycles().check(offending));
  }
}
