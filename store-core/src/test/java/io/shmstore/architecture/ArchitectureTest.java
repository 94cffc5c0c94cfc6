package io.shmstore.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layers of DESIGN.md, top to bottom, each depending only on those below it:
 * <ol>
 *   <li><b>Tier</b>: {@code io.shmstore.tier}, the Redis tier, on the public API alone (no
 *       {@code internal} package);</li>
 *   <li><b>JCache</b>: {@code io.shmstore.jcache}, the JSR-107 provider, on the store's public API only;</li>
 *   <li><b>API</b>: {@code io.shmstore}'s entry points (the store builder, the codecs, the inspector's
 *       factories);</li>
 *   <li><b>Store</b>: {@code io.shmstore.internal.store}, the engine; it reaches shared memory only through
 *       the memory layer, never a platform backend;</li>
 *   <li><b>Memory</b>: {@code io.shmstore.memory}'s classes and {@code io.shmstore.internal.memory}
 *       (views, the choice of a backend);</li>
 *   <li><b>Backends</b>: {@code internal.platform.posix} and {@code internal.platform.windows};</li>
 *   <li><b>Platform</b>: {@code internal.platform}, what a backend implements (regions, mappings, the
 *       object header, names);</li>
 *   <li><b>Sync</b>: {@code internal.sync}, the lock and event words, guarded atomics, lifecycles, and the
 *       waiting and liveness interfaces backends provide.</li>
 * </ol>
 * Every layer may name the shared vocabulary of the contract: exceptions, enums, records and the API's
 * interfaces, which belong to no layer. A back-edge fails the build.
 */
@AnalyzeClasses(packages = "io.shmstore", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** The words of the contract: exceptions, enums, records and interfaces of the public packages. */
    private static final DescribedPredicate<JavaClass> VOCABULARY = DescribedPredicate.describe(
            "the contract's vocabulary (exceptions, enums, records, public interfaces)",
            c -> !c.getPackageName().startsWith("io.shmstore.internal")
                    && (c.isAssignableTo(Throwable.class) || c.isEnum() || c.isRecord() || c.isInterface()
                    || c.isNestedClass() && c.getEnclosingClass().map(JavaClass::isInterface).orElse(false)));

    private static final DescribedPredicate<JavaClass> API = DescribedPredicate.describe(
            "io.shmstore's entry points",
            c -> c.getPackageName().equals("io.shmstore") && !VOCABULARY.test(c));

    private static final DescribedPredicate<JavaClass> MEMORY = DescribedPredicate.describe(
            "the memory layer",
            c -> (c.getPackageName().equals("io.shmstore.memory") && !VOCABULARY.test(c))
                    || c.getPackageName().equals("io.shmstore.internal.memory"));

    @ArchTest
    static final ArchRule layersDependOnlyDownwards = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Tier").definedBy("io.shmstore.tier..")
            .layer("JCache").definedBy("io.shmstore.jcache..")
            .layer("API").definedBy(API)
            .layer("Store").definedBy("io.shmstore.internal.store..")
            .layer("Memory").definedBy(MEMORY)
            .layer("Backends").definedBy("io.shmstore.internal.platform.posix..", "io.shmstore.internal.platform.windows..")
            .layer("Platform").definedBy("io.shmstore.internal.platform")
            .layer("Sync").definedBy("io.shmstore.internal.sync..")
            .whereLayer("Tier").mayNotBeAccessedByAnyLayer()
            .whereLayer("JCache").mayNotBeAccessedByAnyLayer()
            .whereLayer("API").mayOnlyBeAccessedByLayers("Tier", "JCache")
            .whereLayer("Store").mayOnlyBeAccessedByLayers("API")
            .whereLayer("Memory").mayOnlyBeAccessedByLayers("JCache", "API", "Store", "Tier")
            .whereLayer("Backends").mayOnlyBeAccessedByLayers("Memory")
            .whereLayer("Platform").mayOnlyBeAccessedByLayers("API", "Memory", "Backends")
            .whereLayer("Sync").mayOnlyBeAccessedByLayers("API", "Store", "Memory", "Backends", "Platform");

    /** The tier sits on the public API: nothing of {@code io.shmstore.internal}. */
    @ArchTest
    static final ArchRule tierUsesThePublicApiOnly = noClasses().that().resideInAPackage("io.shmstore.tier..")
            .should().dependOnClassesThat().resideInAPackage("io.shmstore.internal..");

    /** The same, package by package: no cycle, once the vocabulary is set aside. */
    @ArchTest
    static final ArchRule packagesFormNoCycle = slices().matching("io.shmstore.(**)")
            .should().beFreeOfCycles()
            .ignoreDependency(DescribedPredicate.alwaysTrue(), VOCABULARY);
}
