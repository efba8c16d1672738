package com.phishnet.store.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.mongodb.reactivestreams.client.MongoDatabase;
import io.mongock.api.annotations.BeforeExecution;
import io.mongock.api.annotations.ChangeUnit;
import io.mongock.api.annotations.Execution;
import io.mongock.api.annotations.RollbackBeforeExecution;
import io.mongock.api.annotations.RollbackExecution;
import io.mongock.driver.mongodb.reactive.util.MongoCollectionSync;
import org.junit.jupiter.api.Test;

import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The privileges the migrations need, checked without a server: every command a change unit issues and
 * every collection operation Mongock performs maps to an action in {@link MigrationPrivileges#REQUIRED_ACTIONS},
 * and the documented migrator roles grant all of them. The integration tier checks the role table itself
 * against a real server's {@code rolesInfo}.
 */
class MigrationPrivilegesTest {

    private static final List<Class<? extends Annotation>> PHASES = List.of(BeforeExecution.class, Execution.class,
            RollbackBeforeExecution.class, RollbackExecution.class);

    @Test
    void theDocumentedMigratorRolesGrantEveryActionMigrationsNeed() {
        assertThat(MigrationPrivileges.grantedBy(MigrationPrivileges.MIGRATOR_ROLES))
                .containsAll(MigrationPrivileges.REQUIRED_ACTIONS);
    }

    @Test
    void theServiceRoleAloneCannotApplyAValidatorToAnExistingCollection() {
        assertThat(MigrationPrivileges.grantedBy(MigrationPrivileges.SERVICE_ROLES)).doesNotContain("collMod");
        assertThat(MigrationPrivileges.REQUIRED_ACTIONS).contains("collMod");
    }

    @Test
    void theServiceRoleAloneOpensTheChangeStreamsOfTheLiveStreams() {
        assertThat(MigrationPrivileges.grantedBy(MigrationPrivileges.SERVICE_ROLES))
                .containsAll(MigrationPrivileges.SERVICE_STREAM_ACTIONS);
        assertThat(MigrationPrivileges.SERVICE_STREAM_ACTIONS).contains("changeStream");
    }

    @Test
    void theRoleTableSpeaksOnlyAboutCandidateActions() {
        MigrationPrivileges.BUILT_IN_ROLE_ACTIONS.values()
                .forEach(actions -> assertThat(MigrationPrivileges.CANDIDATE_ACTIONS).containsAll(actions));
        assertThat(MigrationPrivileges.CANDIDATE_ACTIONS).containsAll(MigrationPrivileges.REQUIRED_ACTIONS)
                .containsAll(MigrationPrivileges.SERVICE_STREAM_ACTIONS);
    }

    @Test
    void everyCommandTheChangeUnitsIssueOnAnEmptyDatabaseIsARequiredAction() throws Exception {
        ActionRecorder recorder = new ActionRecorder(List.of());

        runEveryChangeUnit(recorder);

        assertThat(recorder.unknownCalls()).isEmpty();
        assertThat(MigrationPrivileges.REQUIRED_ACTIONS).containsAll(recorder.actions());
        assertThat(recorder.actions()).contains("createCollection", "createIndex", "collMod");
    }

    @Test
    void everyCommandTheChangeUnitsIssueOnAnExistingSchemaIsARequiredAction() throws Exception {
        ActionRecorder first = new ActionRecorder(List.of());
        runEveryChangeUnit(first);
        ActionRecorder rerun = new ActionRecorder(first.createdCollections());

        runEveryChangeUnit(rerun);

        assertThat(rerun.unknownCalls()).isEmpty();
        assertThat(MigrationPrivileges.REQUIRED_ACTIONS).containsAll(rerun.actions());
        // The path that broke on Atlas: validators re-applied to collections that exist.
        assertThat(rerun.actions()).contains("collMod");
    }

    @Test
    void onAShardedClusterTheMigrationsNeedTheShardingActionBesidesTheRequiredOnes() throws Exception {
        ActionRecorder router = new ActionRecorder(List.of(), true);

        runEveryChangeUnit(router);

        assertThat(router.unknownCalls()).isEmpty();
        Set<String> allowed = new TreeSet<>(MigrationPrivileges.REQUIRED_ACTIONS);
        allowed.addAll(MigrationPrivileges.SHARDED_CLUSTER_ACTIONS);
        assertThat(allowed).containsAll(router.actions());
        assertThat(router.actions()).contains(MigrationPrivileges.SHARDING_ACTION);
    }

    @Test
    void theDocumentedMigratorRolesLackTheShardingActionSoShardedClustersNeedTheEnableShardingRole() {
        assertThat(MigrationPrivileges.grantedBy(MigrationPrivileges.MIGRATOR_ROLES))
                .doesNotContainAnyElementsOf(MigrationPrivileges.SHARDED_CLUSTER_ACTIONS);
        assertThat(MigrationPrivileges.SHARDED_CLUSTER_MIGRATOR_ROLE).isEqualTo("enableSharding");
    }

    @Test
    void onAReplicaSetTheMigrationsNeedNoShardingAction() throws Exception {
        ActionRecorder replicaSet = new ActionRecorder(List.of());

        runEveryChangeUnit(replicaSet);

        assertThat(replicaSet.actions()).doesNotContainAnyElementsOf(MigrationPrivileges.SHARDED_CLUSTER_ACTIONS);
        assertThat(replicaSet.commands()).extracting(command -> command.keySet().iterator().next())
                .doesNotContain("shardCollection", "connectionStatus");
    }

    /** Mongock reaches its lock and change-log collections only through this class (reactive driver 5.5.1). */
    @Test
    void everyCollectionOperationMongockUsesIsARequiredAction() {
        Set<String> operations = new TreeSet<>();
        for (Method method : MongoCollectionSync.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers())
                    && !Set.of("getCollection", "getNamespace").contains(method.getName())) {
                operations.add(method.getName());
            }
        }

        assertThat(ActionRecorder.COLLECTION_ACTIONS).containsKeys(operations.toArray(String[]::new));
        operations.forEach(operation -> assertThat(MigrationPrivileges.REQUIRED_ACTIONS).as(operation)
                .containsAll(ActionRecorder.COLLECTION_ACTIONS.get(operation)));
    }

    static void runEveryChangeUnit(ActionRecorder recorder) throws Exception {
        List<Class<?>> units = changeUnits();
        assertThat(units).isNotEmpty();
        for (Class<?> unit : units) {
            Object instance = construct(unit, recorder);
            for (Class<? extends Annotation> phase : PHASES) {
                for (Method method : unit.getMethods()) {
                    if (method.isAnnotationPresent(phase)) {
                        invoke(instance, method, recorder);
                    }
                }
            }
        }
    }

    private static List<Class<?>> changeUnits() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ChangeUnit.class));
        return scanner.findCandidateComponents(MigrationRunner.class.getPackageName()).stream()
                .map(definition -> ClassUtils.resolveClassName(definition.getBeanClassName(), null))
                .sorted(Comparator.comparing(unit -> unit.getAnnotation(ChangeUnit.class).order()))
                .<Class<?>>map(unit -> unit)
                .toList();
    }

    private static Object construct(Class<?> unit, ActionRecorder recorder) throws Exception {
        Constructor<?> constructor = Arrays.stream(unit.getConstructors())
                .max(Comparator.comparingInt(Constructor::getParameterCount)).orElseThrow();
        return constructor.newInstance(arguments(unit, constructor.getParameterTypes(), recorder));
    }

    private static void invoke(Object instance, Method method, ActionRecorder recorder) throws Exception {
        try {
            method.invoke(instance, arguments(instance.getClass(), method.getParameterTypes(), recorder));
        }
        catch (InvocationTargetException failure) {
            throw new AssertionError(instance.getClass().getSimpleName() + "." + method.getName()
                    + " failed against the recorder", failure.getCause());
        }
    }

    /** The dependencies MigrationRunner gives change units; a unit that needs another must be taught here. */
    private static Object[] arguments(Class<?> unit, Class<?>[] types, ActionRecorder recorder) {
        Object[] arguments = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            if (types[i] == MongoDatabase.class) {
                arguments[i] = recorder.database();
            }
            else if (types[i] == com.mongodb.reactivestreams.client.MongoClient.class) {
                // V019: hello, connectionStatus and shardCollection on admin, config.collections; all recorded.
                arguments[i] = recorder.client();
            }
            else if (types[i] == Clock.class) {
                arguments[i] = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);
            }
            else {
                throw new AssertionError(unit.getSimpleName() + " needs a " + types[i].getName()
                        + "; teach MigrationPrivilegesTest which privilege actions it uses");
            }
        }
        return arguments;
    }
}
