package com.phishnet.store.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each house rule catches the deliberate violation planted for it in {@code com.phishnet.archfixture}. */
class ArchitectureRulesTest {

    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("com.phishnet.archfixture");
    private static final ArchitectureRules RULES = new ArchitectureRules("com.phishnet.archfixture");

    static Stream<Arguments> violations() {
        return Stream.of(
                violation("cycle", ArchitectureRules::noCyclesBetweenFeatures, "Slice alpha"),
                violation("platform knows a feature", ArchitectureRules::platformImportsNoFeature,
                        "SharedHelper.describe"),
                violation("another feature's repository", ArchitectureRules::repositoriesAndDocumentsStayInTheirFeature,
                        "AlphaRepository.find"),
                violation("another feature's document", ArchitectureRules::repositoriesAndDocumentsStayInTheirFeature,
                        "BetaService.borrow(com.phishnet.archfixture.alpha.AlphaRepository, com.phishnet.archfixture.alpha.AlphaService)> has return type <com.phishnet.archfixture.alpha.AlphaRecord>"),
                violation("a type declared in another feature's document",
                        ArchitectureRules::repositoriesAndDocumentsStayInTheirFeature,
                        "BetaService.plain(com.phishnet.archfixture.alpha.AlphaRecord$Kind)> has parameter of type"),
                violation("controller calls another feature", ArchitectureRules::controllersCallOnlyTheirOwnFeaturesServices,
                        "BetaController.name()> calls method <com.phishnet.archfixture.alpha.AlphaService.name()>"),
                violation("controller returns a document", ArchitectureRules::controllersReturnViewsNotDocuments,
                        "AlphaController.get(java.lang.String)> has return type <com.phishnet.archfixture.alpha.AlphaRecord>"),
                violation("cycle inside platform", ArchitectureRules::noCyclesInsidePlatform, "Slice one"),
                violation("service reaches MongoDB", ArchitectureRules::onlyRepositoriesReachMongo,
                        "AlphaService.mongo> has type <org.springframework.data.mongodb.core.ReactiveMongoTemplate>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void theRuleReportsThePlantedViolation(String planted, Function<ArchitectureRules, ArchRule> rule,
            String expectedInReport) {
        EvaluationResult result = rule.apply(RULES).evaluate(FIXTURE);

        assertThat(result.hasViolation()).as(planted).isTrue();
        assertThat(String.join("\n", result.getFailureReport().getDetails())).contains(expectedInReport);
    }

    private static Arguments violation(String planted, Function<ArchitectureRules, ArchRule> rule, String expected) {
        return Arguments.of(planted, rule, expected);
    }
}
