package com.phishnet.store.scans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;
import static org.mockito.Mockito.mock;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.phishnet.store.audit.AuditService;
import com.phishnet.store.platform.crypto.BlindIndex;
import com.phishnet.store.platform.crypto.KeyRing;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.web.CursorCodec;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.support.MarkingOperator;
import com.phishnet.store.support.RenderedBson;
import com.phishnet.store.platform.security.Access.Role;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The lookup of scans by message id: resolved to the tenant's email of the message, then listed as any filter. */
class ScanLookupsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private final ScanRepository repository = mock(ScanRepository.class);
    private final ScanService scans = new ScanService(repository, mock(ScanStatistics.class),
            new ScanMetrics(new SimpleMeterRegistry()), mock(AuditService.class), new Transactions(new MarkingOperator()),
            new CursorCodec(new BlindIndex(new KeyRing(Map.of("k", filled(1)), "k", filled(2)))),
            Clock.fixed(NOW, ZoneOffset.UTC), () -> "id-1");
    private final Caller analyst = new Caller("an-1", "acme", Set.of(Role.ANALYST), Set.of(), "203.0.113.9", "", "r-1");
    private final Caller user = new Caller("u-1", "acme", EnumSet.of(Role.USER), Set.of(), "203.0.113.9", "", "r-2");

    @BeforeEach
    void stubs() {
        given(repository.scans(any())).willReturn(Flux.empty());
        given(repository.countScans(any(), any())).willReturn(Mono.just(0L));
    }

    @Test
    void aMessageTheTenantHasIsListedByItsEmailId() {
        given(repository.emailIdOfMessage("acme", "<m1@x>")).willReturn(Mono.just("e-7"));

        scans.scans(analyst, filter("<m1@x>"), new PageRequest(1, 50), URI.create("/api/v1/scans")).block();

        assertThat(sentFilter()).isEqualTo("{\"tenantId\": \"acme\", \"emailId\": \"e-7\"}");
    }

    @Test
    void aMessageTheTenantDoesNotHaveMatchesNoScanAndNeverAnotherTenants() {
        given(repository.emailIdOfMessage("acme", "<elsewhere@x>")).willReturn(Mono.empty());

        scans.scans(analyst, filter("<elsewhere@x>"), new PageRequest(1, 50), URI.create("/api/v1/scans")).block();

        // Asked of the caller's tenant only; the empty id is one no stored email has.
        then(repository).should().emailIdOfMessage(eq("acme"), eq("<elsewhere@x>"));
        assertThat(sentFilter()).isEqualTo("{\"tenantId\": \"acme\", \"emailId\": \"\"}");
    }

    @Test
    void aUserFindsOnlyTheirOwnScansOfAMessageAlsoByCursor() {
        given(repository.emailIdOfMessage("acme", "<m1@x>")).willReturn(Mono.just("e-7"));

        scans.scansAfter(user, filter("<m1@x>"), "", 20).block();

        assertThat(sentFilter()).isEqualTo("{\"tenantId\": \"acme\", \"userId\": \"u-1\", \"emailId\": \"e-7\"}");
    }

    @Test
    void withoutAMessageIdNoEmailIsLookedUp() {
        scans.scans(analyst, new ScanFilter(Verdict.CLEAN, null, null, null, null, null, null), new PageRequest(1, 50),
                URI.create("/api/v1/scans")).block();

        then(repository).should(org.mockito.Mockito.never()).emailIdOfMessage(any(), any());
        assertThat(sentFilter()).isEqualTo("{\"tenantId\": \"acme\", \"verdict\": \"CLEAN\"}");
    }

    private static ScanFilter filter(String messageId) {
        return new ScanFilter(null, null, null, null, null, null, null, messageId, null);
    }

    private String sentFilter() {
        ArgumentCaptor<Query> query = ArgumentCaptor.forClass(Query.class);
        then(repository).should().scans(query.capture());
        return RenderedBson.filter(query.getValue(), ScanResult.class);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
