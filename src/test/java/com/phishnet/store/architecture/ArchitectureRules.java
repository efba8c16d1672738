package com.phishnet.store.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Optional;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.stereotype.Component;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/**
 * The house rules, written against a root package so that {@code ArchitectureRulesTest} can show each one
 * catching a deliberate violation. A feature is a direct sub-package of the root other than {@code platform}
 * (shared by all, knows none) and {@code migrations} (knows every feature's stored names, is known by none).
 */
final class ArchitectureRules {

    static final String PLATFORM = "platform";
    static final String MIGRATIONS = "migrations";

    private final String root;

    ArchitectureRules(String root) {
        this.root = root;
    }

    /** Feature packages depend on each other in one direction only. */
    ArchRule noCyclesBetweenFeatures() {
        return slices().matching(root + ".(*)..").should().beFreeOfCycles()
                .as("no cycles between the packages under " + root);
    }

    /** Inside {@code platform} too: its sub-packages depend on each other in one direction only. */
    ArchRule noCyclesInsidePlatform() {
        return slices().matching(root + "." + PLATFORM + ".(*)..").should().beFreeOfCycles()
                .as("no cycles between the sub-packages of platform");
    }

    ArchRule platformImportsNoFeature() {
        return noClasses().that().resideInAPackage(root + "." + PLATFORM + "..")
                .should().dependOnClassesThat(inAFeatureOrMigrations())
                .as("platform imports no feature");
    }

    /** A feature's repositories and stored documents are its own; others ask its services. */
    ArchRule repositoriesAndDocumentsStayInTheirFeature() {
        return classes().that().resideInAPackage(root + "..")
                .should(dependOnlyOnOwnFeaturesOf(
                        DescribedPredicate.describe("repositories or stored documents (or types declared in them)",
                                (JavaClass target) -> target.isAnnotatedWith(Repository.class)
                                        || storedDocumentOrPartOfOne().test(target))))
                .as("no feature uses another feature's repositories or stored documents");
    }

    /**
     * Controllers translate HTTP to calls on their own feature's services; another feature's view records may appear
     * in their signatures, its beans may not.
     */
    ArchRule controllersCallOnlyTheirOwnFeaturesServices() {
        return classes().that().areAnnotatedWith(RestController.class)
                .should(dependOnlyOnOwnFeaturesOf(DescribedPredicate.describe("services or other beans",
                        (JavaClass target) -> target.isMetaAnnotatedWith(Component.class))))
                .as("controllers call only their own feature's services");
    }

    /** Responses are view records: a stored document never crosses a controller. */
    ArchRule controllersReturnViewsNotDocuments() {
        return noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat(storedDocumentOrPartOfOne())
                .as("controllers never touch stored documents");
    }

    /** In features, MongoDB is reached only through a repository. */
    ArchRule onlyRepositoriesReachMongo() {
        return noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackages(root + "." + PLATFORM + "..", root + "." + MIGRATIONS + "..")
                .and().areNotAnnotatedWith(Repository.class)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.springframework.data.mongodb.core", "org.springframework.data.mongodb.core.query..",
                        "org.springframework.data.mongodb.core.aggregation..", "com.mongodb.reactivestreams.client..",
                        "com.mongodb.client..")
                .as("in features only repositories use the MongoDB template, its queries or the driver");
    }

    /** A {@code @Document} class, or a type declared inside one (its sub-records and enums are stored shapes too). */
    static DescribedPredicate<JavaClass> storedDocumentOrPartOfOne() {
        return DescribedPredicate.describe("stored documents or types declared in them", target -> {
            for (Optional<JavaClass> type = Optional.of(target); type.isPresent(); type = type.get().getEnclosingClass()) {
                if (type.get().isAnnotatedWith(Document.class)) {
                    return true;
                }
            }
            return false;
        });
    }

    private DescribedPredicate<JavaClass> inAFeatureOrMigrations() {
        return DescribedPredicate.describe("a feature or migrations",
                target -> featureOf(target).filter(feature -> !feature.equals(PLATFORM)).isPresent());
    }

    private ArchCondition<JavaClass> dependOnlyOnOwnFeaturesOf(DescribedPredicate<JavaClass> guarded) {
        return new ArchCondition<>("depend only on their own feature's " + guarded.getDescription()) {
            @Override
            public void check(JavaClass origin, ConditionEvents events) {
                Optional<String> own = featureOf(origin);
                for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
                    JavaClass target = dependency.getTargetClass().getBaseComponentType();
                    Optional<String> theirs = featureOf(target);
                    if (theirs.isEmpty() || theirs.get().equals(PLATFORM) || theirs.equals(own)
                            || !guarded.test(target)) {
                        continue;
                    }
                    events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
                }
            }
        };
    }

    /** The first package segment below the root, if the class lives below it. */
    private Optional<String> featureOf(JavaClass type) {
        String packageName = type.getPackageName();
        if (!packageName.startsWith(root + ".")) {
            return Optional.empty();
        }
        String below = packageName.substring(root.length() + 1);
        int dot = below.indexOf('.');
        return Optional.of(dot < 0 ? below : below.substring(0, dot));
    }
}
