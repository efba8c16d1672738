package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import com.mongodb.MongoCommandException;
import com.mongodb.ServerAddress;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.streams.TestChanges.Change;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class SubscriptionsTest {

    static final Instant NOW = Instant.ofEpochSecond(TestChanges.CLUSTER_SECONDS + 1000);
    static final Caller ALICE = new Caller("alice", "tenant-a", Set.of(Role.ANALYST), Set.of(), "127.0.0.1", "", "r1");
    static final Caller BOB = new Caller("bob", "tenant-a", Set.of(Role.ANALYST), Set.of(), "127.0.0.1", "", "r2");
    static final Predicate<Change> TENANT_A = change -> change.tenantId().equals("tenant-a");

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final StreamMetrics metrics = new StreamMetrics(registry);
    final TestChanges changes = new TestChanges();
    final List<Disposable> open = new ArrayList<>();

    StreamProperties properties = properties(1000, 10, 100, 10);

    @AfterEach
    void closeStreams() {
        open.forEach(Disposable::dispose);
    }

    static StreamProperties properties(int buffer, int perPrincipal, int perInstance, int catchUps) {
        return new StreamProperties(Duration.ofSeconds(15), Duration.ofSeconds(3), buffer, perPrincipal, perInstance,
                catchUps, Math.min(2, catchUps), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }

    Subscriptions subscriptions() {
        return new Subscriptions(properties, new StreamLimits(properties, metrics), metrics, JsonMapper.builder().build(),
                Clock.fixed(NOW, ZoneOffset.UTC), time);
    }

    SharedStream<Change> shared() {
        return new SharedStream<>(StreamKind.SCANS, changes, changes.afterLastCommit(), properties, metrics, Clock.fixed(NOW, ZoneOffset.UTC), time,
                Schedulers.immediate());
    }

    Flux<ServerSentEvent<String>> follow(Subscriptions subscriptions, SharedStream<Change> shared, Caller caller,
            ResumeToken after) {
        return subscriptions.follow(StreamKind.SCANS, shared, changes, caller, TENANT_A, after, NOW.plusSeconds(3600),
                "/api/v1/scans");
    }

    /** ALICE resumes after {@code after}, her catch-up read from {@code catchUpSource}. */
    Flux<ServerSentEvent<String>> resume(Subscriptions subscriptions, SharedStream<Change> shared,
            ChangeSource<Change> catchUpSource, ResumeToken after) {
        return subscriptions.follow(StreamKind.SCANS, shared, catchUpSource, ALICE, TENANT_A, after, NOW.plusSeconds(3600),
                "/api/v1/scans");
    }

    /** Follows in the background, collecting what arrives. */
    List<ServerSentEvent<String>> collect(Flux<ServerSentEvent<String>> stream) {
        List<ServerSentEvent<String>> received = new ArrayList<>();
        open.add(stream.subscribe(received::add));
        return received;
    }

    static List<String> texts(List<ServerSentEvent<String>> events) {
        return events.stream().filter(event -> "scan".equals(event.event())).map(ServerSentEvent::data).toList();
    }

    @Test
    void opensWithARetryHintThenSendsEachChangeWithItsResumeTokenAsId() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        StepVerifier.create(follow(subscriptions, shared, ALICE, null))
                .assertNext(opening -> {
                    assertThat(opening.retry()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(opening.event()).isNull();
                    assertThat(opening.data()).isNull();
                })
                .then(() -> changes.commit("tenant-a", "one"))
                .assertNext(event -> {
                    assertThat(event.id()).isEqualTo(TestChanges.token(1).data());
                    assertThat(event.event()).isEqualTo("scan");
                    assertThat(event.data()).isEqualTo("{\"text\":\"one\"}");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(registry.counter("phishnet.streams.events.sent", "stream", "scans").count()).isEqualTo(1);
    }

    @Test
    void anotherTenantsChangesNeverReachTheSubscriber() {
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared(), ALICE, null));
        changes.commit("tenant-b", "theirs");
        changes.commit("tenant-a", "ours");
        assertThat(texts(received)).containsExactly("{\"text\":\"ours\"}");
    }

    @Test
    void aCommentKeepsAnIdleStreamOpenAndNoneIsSentWhileEventsFlow() {
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared(), ALICE, null));
        time.advanceTimeBy(Duration.ofSeconds(14));
        changes.commit("tenant-a", "one");
        time.advanceTimeBy(Duration.ofSeconds(14));
        assertThat(received).noneMatch(event -> Subscriptions.KEEP_ALIVE.equals(event.comment()));
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(received).filteredOn(event -> Subscriptions.KEEP_ALIVE.equals(event.comment())).hasSize(1);
        time.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(received).filteredOn(event -> Subscriptions.KEEP_ALIVE.equals(event.comment())).hasSize(3);
    }

    @Test
    void aResumingClientGetsWhatItMissedInOrderThenLiveChangesWithoutADuplicate() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        for (int i = 1; i <= 5; i++) {
            changes.commit(i % 2 == 0 ? "tenant-b" : "tenant-a", "c" + i);
        }
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        changes.commit("tenant-a", "c6");
        changes.commit("tenant-a", "c7");
        assertThat(texts(received)).containsExactly("{\"text\":\"c3\"}", "{\"text\":\"c5\"}", "{\"text\":\"c6\"}",
                "{\"text\":\"c7\"}");
        assertThat(registry.counter("phishnet.streams.resumes", "stream", "scans", "by", "client").count()).isEqualTo(1);
        // The catch-up cursor closed when it reached the shared cursor's changes.
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isZero();
    }

    @Test
    void aResumeTokenTheServerNoLongerHoldsGivesAResetFromItsTimeThenLiveChanges() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.failNextOpen(historyLost());
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, TestChanges.token(7)));
        changes.commit("tenant-a", "after");
        assertThat(received).extracting(ServerSentEvent::event).containsExactly(null, "reset", "scan");
        assertThat(received.get(1).data()).contains("\"reason\":\"history-lost\"")
                .contains("\"from\":\"" + TestChanges.token(7).clusterTime() + "\"")
                .contains("\"reread\":\"/api/v1/scans?from=" + TestChanges.token(7).clusterTime() + "\"");
        assertThat(registry.counter("phishnet.streams.resets", "stream", "scans").count()).isEqualTo(1);
    }

    @Test
    void aSubscriberThatFallsBehindGetsOverflowAndIsClosedWhileOthersGetEverything() {
        properties = properties(3, 10, 100, 10);
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> fast = collect(follow(subscriptions, shared, BOB, null));
        StepVerifier.create(follow(subscriptions, shared, ALICE, null), 1)
                .expectNextCount(1)
                .then(() -> {
                    for (int i = 1; i <= 20; i++) {
                        changes.commit("tenant-a", "c" + i);
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(event -> "scan".equals(event.event()))
                .assertNext(overflow -> {
                    assertThat(overflow.event()).isEqualTo("overflow");
                    assertThat(overflow.data()).contains("\"lastEventId\":\"");
                })
                .expectComplete().verify(Duration.ofSeconds(10));
        assertThat(texts(fast)).hasSize(20);
        assertThat(shared.subscribers()).isEqualTo(1);
        assertThat(registry.counter("phishnet.streams.overflows", "stream", "scans").count()).isEqualTo(1);
    }

    @Test
    void theStreamEndsWithExpiredWhenTheTokenThatOpenedItExpires() {
        StepVerifier.create(subscriptions().follow(StreamKind.SCANS, shared(), changes, ALICE, TENANT_A, null,
                        NOW.plusSeconds(60), "/api/v1/scans"))
                .expectNextCount(1)
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(59)))
                .expectNextMatches(event -> Subscriptions.KEEP_ALIVE.equals(event.comment()))
                .expectNextMatches(event -> Subscriptions.KEEP_ALIVE.equals(event.comment()))
                .expectNextMatches(event -> Subscriptions.KEEP_ALIVE.equals(event.comment()))
                .then(() -> time.advanceTimeBy(Duration.ofSeconds(1)))
                .assertNext(expired -> assertThat(expired.event()).isEqualTo("expired"))
                .expectComplete().verify(Duration.ofSeconds(10));
    }

    @Test
    void limitsRefuseBeforeAnythingIsWrittenAndFreeTheirPlacesWhenAStreamEnds() {
        properties = properties(1000, 1, 2, 1);
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        Disposable first = follow(subscriptions, shared, ALICE, null).subscribe();
        StepVerifier.create(follow(subscriptions, shared, ALICE, null))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.TooManyRequests.class))
                .verify(Duration.ofSeconds(10));
        collect(follow(subscriptions, shared, BOB, null));
        Caller carol = new Caller("carol", "tenant-a", Set.of(Role.USER), Set.of(), "", "", "r3");
        StepVerifier.create(follow(subscriptions, shared, carol, null))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Unavailable.class))
                .verify(Duration.ofSeconds(10));
        first.dispose();
        assertThat(collect(follow(subscriptions, shared, carol, null))).hasSize(1);
    }

    @Test
    void catchUpCursorsAreBounded() {
        properties = properties(1000, 10, 100, 1);
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        StepVerifier.create(follow(subscriptions, shared, BOB, TestChanges.token(1)))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Unavailable.class)
                        .hasMessageContaining("Last-Event-ID"))
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aCatchUpThatFailsForAMomentReopensWhereItHadGotToWithoutADuplicate() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.commit("tenant-a", "c1");
        changes.commit("tenant-a", "c2");
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        // The shared cursor and the catch-up both fail; both come back after a pause.
        changes.fail(new IllegalStateException("primary stepped down"));
        changes.commit("tenant-a", "c3");
        time.advanceTimeBy(Duration.ofSeconds(2));
        changes.commit("tenant-a", "c4");
        assertThat(changes.openedAfter()).contains(TestChanges.token(2));
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}", "{\"text\":\"c3\"}", "{\"text\":\"c4\"}");
    }

    @Test
    void oneCallerCannotTakeEveryCatchUpPlaceOfTheInstance() {
        properties = properties(1000, 10, 100, 10);
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        StepVerifier.create(follow(subscriptions, shared, ALICE, TestChanges.token(1)))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.TooManyRequests.class))
                .verify(Duration.ofSeconds(10));
        assertThat(collect(follow(subscriptions, shared, BOB, TestChanges.token(1)))).isNotEmpty();
    }

    @Test
    void anUnexpectedFailureAfterTheStreamOpenedEndsItCleanly() {
        Predicate<Change> brokenFilter = change -> {
            if (change.text().equals("poison")) {
                throw new IllegalStateException("a bug");
            }
            return true;
        };
        SharedStream<Change> shared = shared();
        StepVerifier.create(subscriptions().follow(StreamKind.SCANS, shared, changes, ALICE, brokenFilter, null,
                        NOW.plusSeconds(3600), "/api/v1/scans"))
                .expectNextCount(1)
                .then(() -> changes.commit("tenant-a", "fine"))
                .expectNextMatches(event -> "scan".equals(event.event()))
                .then(() -> changes.commit("tenant-a", "poison"))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void aCursorThatLosesItsHistoryBeforeItsFirstChangeResetsFromItsStartTime() {
        changes.commit("tenant-a", "before anyone followed");
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared, ALICE, null));
        changes.fail(new IllegalStateException("primary stepped down"));
        changes.failNextOpen(historyLost());
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(received).extracting(ServerSentEvent::event).containsExactly(null, "reset");
        // The start time is one increment after the last commit before the first subscriber: its second.
        assertThat(received.get(1).data()).contains("\"from\":\"" + TestChanges.token(1).clusterTime() + "\"");
    }

    @Test
    void aCursorThatEndsAsAnInvalidatedOneDoesResetsItsSubscribersAndFollowsFromNow() {
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared, ALICE, null));
        changes.commit("tenant-a", "before");
        changes.end();
        time.advanceTimeBy(Duration.ofSeconds(1));
        changes.commit("tenant-a", "after");
        assertThat(received).extracting(ServerSentEvent::event).containsExactly(null, "scan", "reset", "scan");
        assertThat(received.get(2).data()).contains("\"reason\":\"position-unknown\"");
        assertThat(changes.openedAfter()).last().isNull();
    }

    @Test
    void aCatchUpThatFindsNothingOnTwoCursorsInARowOnAQuietStreamHandsOverToTheLiveChanges() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        changes.commit("tenant-a", "c2");
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, TestChanges.token(1)));
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isEqualTo(1);
        // The shared cursor has read nothing since it started: one silent cursor could be a stuck one.
        time.advanceTimeBy(Subscriptions.CATCH_UP_IDLE);
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isEqualTo(1);
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(changes.openedAfter()).last().isEqualTo(TestChanges.token(2));
        time.advanceTimeBy(Subscriptions.CATCH_UP_IDLE);
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isZero();
        changes.commit("tenant-a", "c3");
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}", "{\"text\":\"c3\"}");
    }

    @Test
    void aCatchUpThatKeepsFailingEndsTheStreamCleanlyForTheClientToResumeLater() {
        ChangeSource<Change> down = from -> Flux.error(new IllegalStateException("no primary"));
        StepVerifier.create(resume(subscriptions(), shared(), down, TestChanges.token(1)))
                .expectNextCount(1)
                .then(() -> time.advanceTimeBy(Duration.ofMinutes(5)))
                .thenConsumeWhile(event -> Subscriptions.KEEP_ALIVE.equals(event.comment()))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void theSharedCursorResumesFromItsLastTokenAfterAFailureWithoutEndingClientStreams() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, null));
        changes.commit("tenant-a", "before");
        changes.fail(new IllegalStateException("primary stepped down"));
        assertThat(shared.state()).isEqualTo(SharedStream.State.RECONNECTING);
        changes.commit("tenant-a", "during");
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.openedAfter()).last().isEqualTo(TestChanges.token(1));
        changes.commit("tenant-a", "after");
        assertThat(texts(received)).containsExactly("{\"text\":\"before\"}", "{\"text\":\"during\"}",
                "{\"text\":\"after\"}");
        assertThat(shared.state()).isEqualTo(SharedStream.State.UP);
    }

    @Test
    void stoppingTheSharedStreamEndsEveryStreamSoAShutdownNeedNotWaitForThem() {
        SharedStream<Change> shared = shared();
        StepVerifier.create(follow(subscriptions(), shared, ALICE, null))
                .expectNextCount(1)
                .then(shared::stop)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(shared.subscribers()).isZero();
    }

    @Test
    void stoppingTheSharedStreamAlsoEndsAStreamThatIsStillCatchingUp() {
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        ChangeSource<Change> slow = from -> Flux.never();
        StepVerifier.create(resume(subscriptions(), shared, slow, TestChanges.token(1)))
                .expectNextCount(1)
                .then(shared::stop)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isZero();
    }

    @Test
    void aCursorThatFailsBeforeItsFirstChangeReopensAtItsStartTimeSoNothingCommittedMeanwhileIsLost() {
        changes.commit("tenant-a", "before anyone followed");
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared, ALICE, null));
        changes.fail(new IllegalStateException("primary stepped down"));
        changes.commit("tenant-a", "while the cursor was down");
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.openedAt()).hasSize(2).allMatch(start -> start.equals(changes.openedAt().get(0)));
        assertThat(texts(received)).containsExactly("{\"text\":\"while the cursor was down\"}");
    }

    @Test
    void aReopenedCursorThatFailsAgainWaitsLongerAndCountsAsUpOnlyAfterAQuietSpell() {
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions(), shared, ALICE, null));
        changes.failNextOpen(new IllegalStateException("no primary"));
        changes.fail(new IllegalStateException("primary stepped down"));
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.opened()).isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1999));
        assertThat(changes.opened()).isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(changes.opened()).isEqualTo(3);
        assertThat(shared.state()).isEqualTo(SharedStream.State.RECONNECTING);
        time.advanceTimeBy(Duration.ofSeconds(10));
        assertThat(shared.state()).isEqualTo(SharedStream.State.UP);
    }

    @Test
    void whenTheSharedCursorLosesItsHistoryEverySubscriberGetsAResetAndItFollowsFromNow() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        List<ServerSentEvent<String>> received = collect(follow(subscriptions, shared, ALICE, null));
        changes.commit("tenant-a", "before");
        changes.fail(historyLost());
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.openedAfter()).last().isNull();
        changes.commit("tenant-a", "after");
        assertThat(received).extracting(ServerSentEvent::event).containsExactly(null, "scan", "reset", "scan");
        assertThat(received.get(2).data()).contains("\"from\":\"" + TestChanges.token(1).clusterTime() + "\"");
    }

    @Test
    void oneRecordsStreamStartsWithItsStateAndEndsWithItsLastChange() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        Signal.Event<Change> current = new Signal.Event<>(null, NOW, new Change("tenant-a", "running"), "{\"state\":\"RUNNING\"}");
        StepVerifier.create(subscriptions.followOne(StreamKind.JOBS, shared, ALICE, TENANT_A, Mono.just(current),
                        change -> change.text().equals("done"), NOW.plusSeconds(3600)))
                .expectNextCount(1)
                .assertNext(state -> {
                    assertThat(state.id()).isNull();
                    assertThat(state.data()).isEqualTo("{\"state\":\"RUNNING\"}");
                })
                .then(() -> {
                    changes.commit("tenant-a", "progress");
                    changes.commit("tenant-a", "done");
                    changes.commit("tenant-a", "never sent");
                })
                .assertNext(progress -> assertThat(progress.data()).isEqualTo("{\"text\":\"progress\"}"))
                .assertNext(done -> assertThat(done.data()).isEqualTo("{\"text\":\"done\"}"))
                .expectComplete().verify(Duration.ofSeconds(10));
        assertThat(shared.subscribers()).isZero();
    }

    @Test
    void aRecordTheCallerMayNotSeeFailsBeforeAnythingIsWritten() {
        SharedStream<Change> shared = shared();
        StepVerifier.create(subscriptions().followOne(StreamKind.JOBS, shared, ALICE, TENANT_A,
                        Mono.error(new ApiException.NotFound("No job x.")), change -> true, NOW.plusSeconds(60)))
                .expectError(ApiException.NotFound.class)
                .verify(Duration.ofSeconds(10));
        assertThat(shared.subscribers()).isZero();
    }

    @Test
    void aSilentCatchUpThatHasNotReachedTheSharedCursorsFirstChangeReopensInsteadOfSkippingToIt() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        changes.commit("tenant-a", "c2");
        // The first catch-up cursor hangs (a slow secondary, a stuck connection); a reopened one reads on.
        AtomicInteger catchUps = new AtomicInteger();
        ChangeSource<Change> stallsOnce = from -> catchUps.getAndIncrement() == 0 ? Flux.never() : changes.open(from);
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, stallsOnce, TestChanges.token(1)));
        changes.commit("tenant-a", "c3");
        time.advanceTimeBy(Subscriptions.CATCH_UP_IDLE);
        assertThat(texts(received)).isEmpty();
        time.advanceTimeBy(Duration.ofSeconds(2));
        changes.commit("tenant-a", "c4");
        assertThat(catchUps).hasValue(2);
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}", "{\"text\":\"c3\"}", "{\"text\":\"c4\"}");
    }

    @Test
    void theFirstSubscriberIsConnectedOnlyOnceTheSharedCursorsStartIsFixed() {
        Sinks.One<BsonTimestamp> startTime = Sinks.one();
        SharedStream<Change> shared = new SharedStream<>(StreamKind.SCANS, changes, startTime.asMono(), properties, metrics,
                Clock.fixed(NOW, ZoneOffset.UTC), time, Schedulers.immediate());
        List<ServerSentEvent<String>> received = collect(follow(subscriptions(), shared, ALICE, null));
        assertThat(received).isEmpty();
        // Committed before the cursor's start: the client has not been told it is connected, so it expects nothing.
        changes.commit("tenant-a", "before the start");
        changes.afterLastCommit().subscribe(startTime::tryEmitValue);
        assertThat(received).hasSize(1).first().satisfies(opening -> assertThat(opening.retry()).isNotNull());
        changes.commit("tenant-a", "after");
        assertThat(texts(received)).containsExactly("{\"text\":\"after\"}");
    }

    @Test
    void aStreamWhoseCursorCannotStartIsRefusedWithA503BeforeAnythingIsWritten() {
        SharedStream<Change> shared = new SharedStream<>(StreamKind.SCANS, changes, Mono.never(), properties, metrics,
                Clock.fixed(NOW, ZoneOffset.UTC), time, Schedulers.immediate());
        StepVerifier.create(follow(subscriptions(), shared, ALICE, null))
                .then(() -> time.advanceTimeBy(Subscriptions.START_WAIT))
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Unavailable.class)
                        .hasMessageContaining("MongoDB did not answer"))
                .verify(Duration.ofSeconds(5));
        assertThat(shared.subscribers()).isZero();
        assertThat(registry.get("phishnet.streams.subscribers").gauge().value()).isZero();
    }

    @Test
    void aStreamWaitingForItsStartWhenTheInstanceStopsIsRefusedNotLeftWaiting() {
        SharedStream<Change> shared = new SharedStream<>(StreamKind.SCANS, changes, Mono.never(), properties, metrics,
                Clock.fixed(NOW, ZoneOffset.UTC), time, Schedulers.immediate());
        StepVerifier.create(follow(subscriptions(), shared, ALICE, null))
                .then(shared::stop)
                .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Unavailable.class)
                        .hasMessageContaining("shutting down"))
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void aRecordsStreamReadsItsStateAgainAfterAResetInsteadOfForwardingTheReset() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        AtomicReference<String> state = new AtomicReference<>("running");
        AtomicInteger reads = new AtomicInteger();
        Mono<Signal.Event<Change>> current = Mono.fromSupplier(() -> {
            reads.incrementAndGet();
            return new Signal.Event<>(null, NOW, new Change("tenant-a", state.get()), "{\"state\":\"" + state.get() + "\"}");
        });
        List<ServerSentEvent<String>> received = collect(subscriptions.followOne(StreamKind.JOBS, shared, ALICE, TENANT_A,
                current, change -> change.text().equals("done"), NOW.plusSeconds(3600)));
        changes.commit("tenant-a", "progress");
        // The job finishes while the cursor has lost its place: its last change is never read from the stream.
        changes.fail(historyLost());
        state.set("done");
        assertThat(reads).as("the state is read again only once the new cursor's start is fixed").hasValue(1);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(reads).hasValue(2);
        assertThat(received).extracting(ServerSentEvent::data).containsExactly(null, "{\"state\":\"running\"}",
                "{\"text\":\"progress\"}", "{\"state\":\"done\"}");
        assertThat(received).extracting(ServerSentEvent::event).doesNotContain("reset");
        assertThat(shared.subscribers()).isZero();
    }

    @Test
    void aCursorThatKeepsFailingAsItOpensNeverCountsAsUpAndWaitsLongerEachTime() {
        AtomicInteger opened = new AtomicInteger();
        ChangeSource<Change> down = from -> Flux.defer(() -> {
            opened.incrementAndGet();
            return Flux.error(new IllegalStateException("no primary"));
        });
        SharedStream<Change> shared = new SharedStream<>(StreamKind.SCANS, down, changes.afterLastCommit(), properties,
                metrics, Clock.fixed(NOW, ZoneOffset.UTC), time, Schedulers.immediate());
        shared.register(TENANT_A);
        // Opens at 0, 1, 3, 7, 15 and 31 s: the pause doubles because no reopened cursor ever lasted.
        for (int second = 1; second <= 60; second++) {
            time.advanceTimeBy(Duration.ofSeconds(1));
            assertThat(shared.state()).as("at %d s", second).isEqualTo(SharedStream.State.RECONNECTING);
        }
        assertThat(opened).hasValue(6);
    }

    @Test
    void eachSubscribersEventsAreDeliveredOffTheCursorsThread() {
        Scheduler delivery = Schedulers.newSingle("stream-delivery-test");
        try {
            SharedStream<Change> shared = new SharedStream<>(StreamKind.SCANS, changes, changes.afterLastCommit(),
                    properties, metrics, Clock.fixed(NOW, ZoneOffset.UTC), time, delivery);
            StepVerifier.create(shared.register(TENANT_A).signals())
                    .then(() -> changes.commit("tenant-a", "one"))
                    .assertNext(signal -> assertThat(Thread.currentThread().getName()).startsWith("stream-delivery-test"))
                    .thenCancel()
                    .verify(Duration.ofSeconds(5));
        }
        finally {
            delivery.dispose();
        }
    }

    @Test
    void stoppingMidCatchUpEndsTheWholeStreamRatherThanSkippingToTheQueuedLiveChanges() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.commit("tenant-a", "c1");
        Signal.Event<Change> c2 = changes.commit("tenant-a", "c2");
        changes.commit("tenant-a", "c3");
        ChangeSource<Change> slowAfterC2 = from -> Flux.just(c2).concatWith(Flux.never());
        AtomicBoolean ended = new AtomicBoolean();
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, slowAfterC2, TestChanges.token(1))
                .doOnComplete(() -> ended.set(true)));
        changes.commit("tenant-a", "c4");
        shared.stop();
        // Had c4 been sent, the client's last id would be past c3, which it never got.
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}");
        assertThat(ended).isTrue();
    }

    @Test
    void aClientWhoseIdIsNotBehindTheSharedCursorNeedsNoCatchUp() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.commit("tenant-a", "c1");
        // The shared cursor is down while c2 and c3 are committed; the client got c3 from another instance.
        changes.fail(new IllegalStateException("primary stepped down"));
        changes.commit("tenant-a", "c2");
        changes.commit("tenant-a", "c3");
        AtomicInteger catchUps = new AtomicInteger();
        ChangeSource<Change> counted = from -> {
            catchUps.incrementAndGet();
            return changes.open(from);
        };
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, counted, TestChanges.token(3)));
        assertThat(catchUps).hasValue(0);
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isZero();
        time.advanceTimeBy(Duration.ofSeconds(1));
        changes.commit("tenant-a", "c4");
        assertThat(texts(received)).containsExactly("{\"text\":\"c4\"}");
    }

    @Test
    void aStalledCatchUpIsReopenedEvenWhenNothingNewArrivesBecauseTheSharedCursorHadReadFurther() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.commit("tenant-a", "c1");
        changes.commit("tenant-a", "c2");
        changes.commit("tenant-a", "c3");
        // Two stuck cursors in a row: silence is not taken for having caught up while c2 and c3 are unread.
        AtomicInteger catchUps = new AtomicInteger();
        ChangeSource<Change> stallsTwice = from -> catchUps.getAndIncrement() < 2 ? Flux.never() : changes.open(from);
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, stallsTwice, TestChanges.token(1)));
        time.advanceTimeBy(Subscriptions.CATCH_UP_STUCK.minusSeconds(1));
        assertThat(catchUps).as("the target is known: 30 s of silence is no proof of a stuck cursor").hasValue(1);
        // Each reopening waits its retry backoff first (1 s, then 2 s, each with Reactor's ±50 % jitter): up to 4.5 s
        // on top of the two stuck periods, so 5 s more was not always enough.
        time.advanceTimeBy(Subscriptions.CATCH_UP_STUCK.plusSeconds(10));
        changes.commit("tenant-a", "c4");
        assertThat(catchUps).hasValue(3);
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}", "{\"text\":\"c3\"}", "{\"text\":\"c4\"}");
    }

    @Test
    void aCatchUpCursorThatEndsBeforeCatchingUpGivesAReset() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        changes.commit("tenant-a", "c1");
        changes.commit("tenant-a", "c2");
        ChangeSource<Change> invalidated = from -> Flux.empty();
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, invalidated, TestChanges.token(1)));
        changes.commit("tenant-a", "c3");
        assertThat(received).extracting(ServerSentEvent::event).containsExactly(null, "reset", "scan");
        assertThat(received.get(1).data()).contains("\"reason\":\"position-unknown\"");
        assertThat(texts(received)).containsExactly("{\"text\":\"c3\"}");
    }

    @Test
    void afterAResetTheCursorReopensAfterTheShortestPauseWhateverFailedBefore() {
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions(), shared, ALICE, null));
        changes.fail(new IllegalStateException("primary stepped down"));
        changes.failNextOpen(new IllegalStateException("no primary"));
        time.advanceTimeBy(Duration.ofSeconds(1));
        changes.failNextOpen(historyLost());
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(changes.opened()).isEqualTo(3);
        // Not the 4 s the third failure in a row would wait: the server answered, and the new start waits on it.
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.opened()).isEqualTo(4);
        assertThat(changes.openedAt()).last().isNotNull();
    }

    @Test
    void aStreamOpenedAfterTheInstanceStoppedIsRefusedAndHoldsNoPlace() {
        properties = properties(1000, 1, 100, 10);
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions, shared, BOB, null));
        shared.stop();
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(follow(subscriptions, shared, ALICE, null))
                    .expectErrorSatisfies(refused -> assertThat(refused).isInstanceOf(ApiException.Unavailable.class)
                            .hasMessageContaining("shutting down"))
                    .verify(Duration.ofSeconds(5));
        }
        assertThat(shared.subscribers()).isZero();
        assertThat(registry.get("phishnet.streams.subscribers").gauge().value()).isZero();
    }

    @Test
    void onAQuietStreamSilenceHandsOverOnlyTwiceInARowWithNothingReadInBetween() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        changes.commit("tenant-a", "c1");
        Signal.Event<Change> c2 = changes.commit("tenant-a", "c2");
        changes.commit("tenant-a", "c3");
        // The shared cursor starts after c3 and reads nothing. The first catch-up cursor is stuck, the second
        // reads c2 and gets stuck, the third reads on.
        AtomicInteger catchUps = new AtomicInteger();
        ChangeSource<Change> stuckTwice = from -> switch (catchUps.getAndIncrement()) {
            case 0 -> Flux.never();
            case 1 -> Flux.just(c2).concatWith(Flux.never());
            default -> changes.open(from);
        };
        List<ServerSentEvent<String>> received = collect(resume(subscriptions, shared, stuckTwice, TestChanges.token(1)));
        time.advanceTimeBy(Subscriptions.CATCH_UP_IDLE.multipliedBy(2).plusSeconds(5));
        assertThat(catchUps).hasValue(3);
        time.advanceTimeBy(Subscriptions.CATCH_UP_IDLE.multipliedBy(2).plusSeconds(5));
        changes.commit("tenant-a", "c4");
        assertThat(texts(received)).containsExactly("{\"text\":\"c2\"}", "{\"text\":\"c3\"}", "{\"text\":\"c4\"}");
        assertThat(registry.get("phishnet.streams.catchup.cursors").gauge().value()).isZero();
    }

    @Test
    void stoppingEndsAJobStreamToo() {
        SharedStream<Change> shared = shared();
        Signal.Event<Change> running = new Signal.Event<>(null, NOW, new Change("tenant-a", "running"), "{}");
        StepVerifier.create(subscriptions().followOne(StreamKind.JOBS, shared, ALICE, TENANT_A, Mono.just(running),
                        change -> false, NOW.plusSeconds(3600)))
                .expectNextCount(2)
                .then(shared::stop)
                .expectComplete()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void resetsInARowBackOffLikeFailures() {
        SharedStream<Change> shared = shared();
        collect(follow(subscriptions(), shared, ALICE, null));
        changes.commit("tenant-a", "c1");
        changes.fail(historyLost());
        changes.failNextOpen(historyLost());
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(changes.opened()).isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1999));
        assertThat(changes.opened()).isEqualTo(2);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(changes.opened()).isEqualTo(3);
    }

    static MongoCommandException historyLost() {
        return new MongoCommandException(new BsonDocument("ok", new BsonInt32(0)).append("code", new BsonInt32(286))
                .append("errmsg", new BsonString("Resume of change stream was not possible")), new ServerAddress());
    }

    @Test
    void aSecondOpenerOfTheSameSharedStreamDoesNotOpenASecondCursor() {
        Subscriptions subscriptions = subscriptions();
        SharedStream<Change> shared = shared();
        for (int i = 0; i < 50; i++) {
            collect(follow(subscriptions, shared, new Caller("u" + i, "tenant-a", Set.of(Role.USER), Set.of(), "", "", ""), null));
        }
        assertThat(changes.opened()).isEqualTo(1);
        assertThat(shared.subscribers()).isEqualTo(50);
    }
}
