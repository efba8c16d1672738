package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.phishnet.store.platform.mongo.ChangeFeed;
import com.phishnet.store.platform.mongo.ChangePosition;
import com.phishnet.store.platform.mongo.ResumeToken;
import com.phishnet.store.scans.ScanChange;
import com.phishnet.store.scans.ScanRequests.ScanView;
import com.phishnet.store.scans.ScanService;
import com.phishnet.store.scans.Verdict;
import com.phishnet.store.support.DevTokens;
import com.phishnet.store.support.OfflineApplicationTest;
import org.bson.BsonTimestamp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The real stream engine behind the real routes, security and SSE encoding, with the scans' change feed replaced at
 * the feature's service: what a client reads off the wire, live and resumed. MongoDB's side is StreamsIT's.
 */
@OfflineApplicationTest
class StreamsOverHttpTest {

    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
    };

    /** One feed for the class: the application's shared scans cursor, once open, stays on it across tests. */
    private static final ScanFeed FEED = new ScanFeed();

    @MockitoBean
    ScanService scans;
    @MockitoBean
    ChangeFeed changes;

    @Autowired
    WebTestClient http;

    static String analyst;

    @BeforeEach
    void feedAndToken() {
        given(changes.afterLastMajorityCommit()).willReturn(Mono.just(new BsonTimestamp((int) TestChanges.CLUSTER_SECONDS, 1)));
        given(scans.scanChanges(any())).willAnswer(call -> FEED.open(call.getArgument(0)));
        if (analyst == null) {
            analyst = DevTokens.mint(http, "analyst-1", "acme", List.of("ANALYST"));
        }
    }

    Flux<ServerSentEvent<String>> open(String lastEventId) {
        WebTestClient.RequestHeadersSpec<?> request = http.get().uri("/api/v1/streams/scans")
                .accept(MediaType.TEXT_EVENT_STREAM).header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange().expectStatus().isOk().returnResult(SSE).getResponseBody()
                .filter(event -> event.event() != null);
    }

    @Test
    void aCommittedScanArrivesWithItsResumeTokenAsIdAndAnotherTenantsNever() {
        StepVerifier.create(open(null))
                .then(() -> {
                    FEED.commit("globex", "theirs");
                    FEED.commit("acme", "ours");
                })
                .assertNext(event -> {
                    assertThat(event.event()).isEqualTo("scan");
                    assertThat(event.id()).isEqualTo(FEED.tokenOf("ours").data());
                    assertThat(event.data()).contains("\"id\":\"ours\"").contains("\"verdict\":\"MALICIOUS\"");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void aClientResumingWithLastEventIdGetsWhatItMissedInOrderThenLiveScans() {
        FEED.commit("acme", "r1");
        FEED.commit("acme", "r2");
        FEED.commit("globex", "r3");
        FEED.commit("acme", "r4");
        StepVerifier.create(open(FEED.tokenOf("r1").data()).map(ServerSentEvent::id))
                .expectNext(FEED.tokenOf("r2").data(), FEED.tokenOf("r4").data())
                .then(() -> FEED.commit("acme", "r5"))
                .assertNext(id -> assertThat(id).isEqualTo(FEED.tokenOf("r5").data()))
                .thenCancel()
                .verify(Duration.ofSeconds(20));
    }

    @Test
    void aMalformedLastEventIdIsAProblemBeforeAnyStreamOpens() {
        http.get().uri("/api/v1/streams/scans").accept(MediaType.TEXT_EVENT_STREAM)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + analyst).header("Last-Event-ID", "not-a-token")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** Scans committed in token order; a cursor opened after a token starts with the next, as a change stream does. */
    static final class ScanFeed {

        private final List<ScanChange> history = new ArrayList<>();
        private final List<Sinks.Many<ScanChange>> cursors = new CopyOnWriteArrayList<>();

        synchronized void commit(String tenant, String id) {
            ScanView view = new ScanView(id, "user-1", "e-" + id, "eve@evil.example", Verdict.MALICIOUS, Verdict.MALICIOUS,
                    0.9, null, "m-1", null, Instant.ofEpochSecond(TestChanges.CLUSTER_SECONDS), null);
            int n = history.size() + 1;
            ScanChange change = new ScanChange(TestChanges.token(n), Instant.ofEpochSecond(TestChanges.CLUSTER_SECONDS + n),
                    tenant, "user-1", Verdict.MALICIOUS, 0.9, view);
            history.add(change);
            cursors.forEach(cursor -> cursor.tryEmitNext(change));
        }

        synchronized ResumeToken tokenOf(String id) {
            return history.stream().filter(change -> change.scan().id().equals(id)).findFirst().orElseThrow().token();
        }

        synchronized Flux<ScanChange> open(ChangePosition from) {
            List<ScanChange> missed = from.after() == null ? List.of()
                    : history.stream().filter(change -> change.token().isAfter(from.after())).toList();
            Sinks.Many<ScanChange> cursor = Sinks.many().unicast().onBackpressureBuffer();
            cursors.add(cursor);
            return Flux.fromIterable(missed).concatWith(cursor.asFlux().doOnCancel(() -> cursors.remove(cursor)));
        }
    }
}
