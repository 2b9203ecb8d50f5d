package org.flowbench.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.flowbench");

    @Test
    void engineDependsOnNeitherSamplersNorApp() {
        noClasses().that().resideInAPackage("org.flowbench.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("org.flowbench.samplers..", "org.flowbench.app..")
                .check(CLASSES);
    }

    @Test
    void samplersDoNotDependOnApp() {
        noClasses().that().resideInAPackage("org.flowbench.samplers..")
                .should().dependOnClassesThat().resideInAPackage("org.flowbench.app..")
                .check(CLASSES);
    }

    @Test
    void onlyTheUiImportsJavaFx() {
        noClasses().that().resideOutsideOfPackage("org.flowbench.app.ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .check(CLASSES);
    }

    @Test
    void onlyTheCliPrintsToTheConsole() {
        noClasses().that().resideOutsideOfPackage("org.flowbench.app.cli..")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .check(CLASSES);
    }

    @Test
    void theRulesSeeTheWholeProduct() {
        // guard against a classpath that silently imports nothing
        if (CLASSES.stream().noneMatch(c -> c.getPackageName().startsWith("org.flowbench.engine"))
                || CLASSES.stream().noneMatch(c -> c.getPackageName().startsWith("org.flowbench.samplers"))
                || CLASSES.stream().noneMatch(c -> c.getPackageName().startsWith("org.flowbench.app"))) {
            throw new AssertionError("ArchUnit did not import all modules");
        }
    }
}
