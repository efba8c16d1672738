package com.phishnet.store.architecture;

import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The production code keeps the house rules (see docs/architecture.md). */
class ArchitectureTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.phishnet.store");

    static Stream<ArchRule> rules() {
        ArchitectureRules rules = new ArchitectureRules("com.phishnet.store");
        return Stream.of(rules.noCyclesBetweenFeatures(), rules.noCyclesInsidePlatform(), rules.platformImportsNoFeature(),
                rules.repositoriesAndDocumentsStayInTheirFeature(), rules.controllersCallOnlyTheirOwnFeaturesServices(),
                rules.controllersReturnViewsNotDocuments(), rules.onlyRepositoriesReachMongo());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void productionCodeKeepsTheRule(ArchRule rule) {
        rule.check(PRODUCTION);
    }
}
