package io.mailbridge;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The packages of the app stack in one direction, as CONTRIBUTING.md's layout says: plumbing at the bottom, then the
 * CRM, the mailbox state and Graph, then the flows, which may build on each other but never in a circle.
 */
class PackageLayersTest {
    /** The app's own classes (functions/src/main), read from where App was compiled to. */
    private static final JavaClasses APP = new ClassFileImporter().importUrl(App.class.getProtectionDomain().getCodeSource().getLocation());
    private static final String[] PLUMBING = {"io.mailbridge.config..", "io.mailbridge.telemetry..", "io.mailbridge.http..", "io.mailbridge.storage.."};
    private static final String[] STATE = {"io.mailbridge.crm..", "io.mailbridge.mailbox..", "io.mailbridge.graph.."};

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.mailbridge.(*)..").should().beFreeOfCycles().check(APP);
    }

    @Test
    void lowerLayersNeverUseHigherOnes() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Plumbing").definedBy(PLUMBING)
                .layer("Crm").definedBy("io.mailbridge.crm..")
                .layer("Mailbox").definedBy("io.mailbridge.mailbox..")
                .layer("Graph").definedBy("io.mailbridge.graph..")
                // Every other package is a flow, a new one too; the root package (App, and two helpers all use) is in none.
                .layer("Flows").definedBy(resideInAPackage("io.mailbridge.*..").and(not(resideInAnyPackage(PLUMBING)))
                        .and(not(resideInAnyPackage(STATE))))
                .whereLayer("Flows").mayNotBeAccessedByAnyLayer()
                .whereLayer("Graph").mayOnlyBeAccessedByLayers("Flows")
                .whereLayer("Mailbox").mayOnlyBeAccessedByLayers("Graph", "Flows")
                .whereLayer("Crm").mayOnlyBeAccessedByLayers("Mailbox", "Graph", "Flows")
                .check(APP);
    }
}
