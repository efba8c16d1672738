package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.phishnet.store.audit.AuditFields;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.credentials.CredentialFields;
import com.phishnet.store.credentials.CredentialProvider;
import com.phishnet.store.credentials.CredentialStatus;
import com.phishnet.store.jobs.JobFields;
import com.phishnet.store.jobs.JobScope;
import com.phishnet.store.jobs.JobState;
import com.phishnet.store.jobs.JobType;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Scope;
import com.phishnet.store.reputation.ReputationFields;
import com.phishnet.store.reputation.ReputationScope;
import com.phishnet.store.reputation.ReputationVerdict;
import com.phishnet.store.reputation.SubjectType;
import com.phishnet.store.scans.ScanFields;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.streams.StreamTicketFields;
import com.phishnet.store.tokens.RefreshTokenFields;
import com.phishnet.store.tokens.RefreshTokenStatus;
import com.phishnet.store.users.UserFields;
import com.phishnet.store.users.UserStatus;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The validators list each stored enum's values as text, written once by the migration that created them, so a
 * migration that already ran never changes. This ties every such list to its enum: a value added to an enum fails
 * here until a new migration widens the validator and the list.
 */
class StoredEnumValuesTest {

    static Stream<Arguments> storedEnums() {
        return Stream.of(
                Arguments.of("users.role", UserFields.ROLES, Role.class),
                Arguments.of("users.status", UserFields.STATUSES, UserStatus.class),
                Arguments.of("credentials.provider", CredentialFields.PROVIDERS, CredentialProvider.class),
                Arguments.of("credentials.status", CredentialFields.STATUSES, CredentialStatus.class),
                Arguments.of("jobs.type", JobFields.TYPES, JobType.class),
                Arguments.of("jobs.scope", JobFields.SCOPES, JobScope.class),
                Arguments.of("jobs.state", JobFields.STATES, JobState.class),
                Arguments.of("audit_logs.outcome", AuditFields.OUTCOMES, AuditOutcome.class),
                Arguments.of("scan_results.verdict", ScanFields.VERDICTS, Verdict.class),
                Arguments.of("feedback.flag", com.phishnet.store.scans.FeedbackFields.FLAGS,
                        com.phishnet.store.scans.FeedbackFlag.class),
                Arguments.of("reputation_cache.scope", ReputationFields.SCOPES, ReputationScope.class),
                Arguments.of("reputation_cache.subjectType", ReputationFields.SUBJECT_TYPES, SubjectType.class),
                Arguments.of("reputation_cache.verdict", ReputationFields.VERDICTS, ReputationVerdict.class),
                Arguments.of("refresh_tokens.status", RefreshTokenFields.STATUSES, RefreshTokenStatus.class),
                Arguments.of("stream_tickets.roles", StreamTicketFields.ROLE_NAMES, Role.class),
                Arguments.of("stream_tickets.scopes", StreamTicketFields.SCOPE_VALUES, Scope.class),
                Arguments.of("api_keys.scopes", com.phishnet.store.apikeys.ApiKeyFields.SCOPE_VALUES,
                        com.phishnet.store.apikeys.ApiKeyScope.class),
                Arguments.of("backups.state", com.phishnet.store.backup.BackupFields.STATES,
                        com.phishnet.store.backup.BackupState.class),
                Arguments.of("backups.trigger", com.phishnet.store.backup.BackupFields.TRIGGERS,
                        com.phishnet.store.backup.BackupTrigger.class),
                Arguments.of("legal_holds.state", com.phishnet.store.retention.RetentionFields.HOLD_STATES,
                        com.phishnet.store.retention.LegalHoldState.class),
                Arguments.of("retention_runs.state", com.phishnet.store.retention.RetentionFields.RUN_STATES,
                        JobState.class),
                Arguments.of("retention_runs.trigger", com.phishnet.store.retention.RetentionFields.RUN_TRIGGERS,
                        com.phishnet.store.retention.RetentionRun.Trigger.class),
                Arguments.of("retention_runs.phase", com.phishnet.store.retention.RetentionFields.RUN_PHASES,
                        com.phishnet.store.retention.RetentionRun.Phase.class));
    }

    /** Lists without an enum yet (none now: the backups feature tied its own). */
    private static final Set<String> AWAITING_THEIR_ENUM = Set.of();

    @Test
    void everyStoredValueListOfEveryFieldsClassIsTiedToItsEnum() {
        Set<String> tied = storedEnums().map(arguments -> (String[]) arguments.get()[1])
                .map(StoredEnumValuesTest::nameOf).collect(Collectors.toSet());
        Set<String> lists = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("com.phishnet.store").stream()
                .filter(type -> type.getSimpleName().endsWith("Fields"))
                .flatMap(type -> type.getFields().stream())
                .filter(field -> field.getModifiers().containsAll(Set.of(JavaModifier.PUBLIC, JavaModifier.STATIC))
                        && field.getRawType().isEquivalentTo(String[].class))
                .map(field -> field.getOwner().getSimpleName() + "." + field.getName())
                .collect(Collectors.toSet());

        assertThat(tied).noneMatch(AWAITING_THEIR_ENUM::contains);
        assertThat(lists).as("every String[] of a *Fields class is a stored enum's values: add its row above")
                .containsExactlyInAnyOrderElementsOf(union(tied, AWAITING_THEIR_ENUM));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedEnums")
    void theValidatorListsExactlyTheEnumsValues(String field, String[] allowed, Class<? extends Enum<?>> type) {
        assertThat(allowed)
                .as("%s: the validator's values must equal %s's; change the enum only with a migration", field,
                        type.getSimpleName())
                .containsExactlyInAnyOrder(Arrays.stream(type.getEnumConstants()).map(StoredEnumValuesTest::stored)
                        .toArray(String[]::new));
    }

    /**
     * How a constant is written: by name, except scopes, which are stored as tokens write them, and feedback flags,
     * stored as the API writes them.
     */
    private static String stored(Enum<?> constant) {
        if (constant instanceof com.phishnet.store.scans.FeedbackFlag flag) {
            return flag.value();
        }
        if (constant instanceof com.phishnet.store.apikeys.ApiKeyScope scope) {
            return scope.value();
        }
        return constant instanceof Scope scope ? scope.value() : constant.name();
    }

    /** The constant a list was read from, found by identity among the *Fields classes' public arrays. */
    private static String nameOf(String[] list) {
        for (Class<?> type : List.of(UserFields.class, CredentialFields.class, JobFields.class, AuditFields.class,
                ScanFields.class, ReputationFields.class, RefreshTokenFields.class, StreamTicketFields.class,
                com.phishnet.store.backup.BackupFields.class, com.phishnet.store.retention.RetentionFields.class,
                com.phishnet.store.scans.FeedbackFields.class, com.phishnet.store.apikeys.ApiKeyFields.class)) {
            for (java.lang.reflect.Field field : type.getFields()) {
                try {
                    if (field.get(null) == list) {
                        return type.getSimpleName() + "." + field.getName();
                    }
                } catch (IllegalAccessException unreadable) {
                    throw new IllegalStateException(unreadable);
                }
            }
        }
        throw new IllegalStateException("a list in the table is no *Fields constant");
    }

    private static Set<String> union(Set<String> one, Set<String> other) {
        Set<String> all = new java.util.HashSet<>(one);
        all.addAll(other);
        return all;
    }
}
