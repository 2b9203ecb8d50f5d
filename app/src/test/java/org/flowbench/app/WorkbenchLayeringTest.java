package org.flowbench.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The workbench's layering: project and session are plain Java; only ui touches JavaFX; no console output. */
class WorkbenchLayeringTest {
    private static final JavaClasses APP = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.flowbench.app");

    @Test
    void onlyUiImportsJavaFx() {
        noClasses().that().resideOutsideOfPackage("org.flowbench.app.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..").check(APP);
    }

    @Test
    void projectAndSessionDoNotKnowTheUi() {
        noClasses().that().resideInAnyPackage("org.flowbench.app.project..", "org.flowbench.app.session..")
                .should().dependOnClassesThat().resideInAnyPackage("org.flowbench.app.ui..", "org.flowbench.app.cli..")
                .check(APP);
    }

    @Test
    void noConsoleOutputOutsideCli() {
        noClasses().that().resideOutsideOfPackage("org.flowbench.app.cli..").and().doNotHaveFullyQualifiedName(
                "org.flowbench.app.Main").should().accessField(System.class, "out").orShould()
                .accessField(System.class, "err").check(APP);
    }
}
