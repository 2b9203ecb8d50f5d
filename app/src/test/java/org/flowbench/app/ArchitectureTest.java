package org.flowbench.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/** The module rules of ARCHITECTURE.md. */
class ArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // the engine's test-jar
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
    void onlyTheEngineUsesDjl() {
        noClasses().that().resideOutsideOfPackage("org.flowbench.engine..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .check(CLASSES);
    }

    /**
     * DJL's NDArray.mul/div(Number) free their scalar right after the op while autograd keeps it for the backward
     * pass; a garbage collection in between makes the gradient read freed memory. Flowbench code uses
     * {@code Scalars.mul/div} instead.
     */
    @Test
    void noTensorTimesNumberThroughDjlsScalarOverloads() {
        for (String op : new String[] {"mul", "div", "pow"}) {
            noClasses().should().callMethod(ai.djl.ndarray.NDArray.class, op, Number.class)
                    .because("the scalar is freed before the backward pass; use org.flowbench.engine.nn.Scalars")
                    .check(CLASSES);
        }
    }

    /** Callers ask a model what it can do ({@code Model.as}); only the model tier knows its own classes. */
    @Test
    void noInstanceofOnConcreteModelClassesOutsideTheModelTier() {
        DescribedPredicate<JavaClass> concreteModel = new DescribedPredicate<>("a concrete model class") {
            @Override
            public boolean test(JavaClass c) {
                return !c.isInterface() && c.getPackageName().startsWith("org.flowbench.engine.model")
                        && c.isAssignableTo("org.flowbench.engine.model.Model");
            }
        };
        ArchCondition<JavaClass> noInstanceof = new ArchCondition<>("test no concrete model class with instanceof") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                for (JavaCodeUnit u : c.getCodeUnits()) {
                    for (InstanceofCheck check : u.getInstanceofChecks()) {
                        if (concreteModel.test(check.getRawType())) {
                            events.add(SimpleConditionEvent.violated(c, c.getName() + "." + u.getName() + " tests instanceof " + check.getRawType().getName() + " (" + check.getSourceCodeLocation() + ")"));
                        }
                    }
                }
            }
        };
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
                .that().resideOutsideOfPackage("org.flowbench.engine.model..")
                .should(noInstanceof)
                .check(CLASSES);
    }

    @Test
    void noPackageCycles() {
        slices().matching("org.flowbench.(**)").should().beFreeOfCycles().check(CLASSES);
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
