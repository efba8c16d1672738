package com.phishnet.store.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.phishnet.store.platform.time.InstanceId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

class ServiceMetricsRecorderTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    private final ServiceMetricsRepository repository = mock(ServiceMetricsRepository.class);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final ServiceMetricsRecorder recorder = new ServiceMetricsRecorder(repository, meters, meters, clock,
            new InstanceId("host-a1b2"), new ServiceMetricsProperties(true, Duration.ofSeconds(30)));

    @Test
    void eachIntervalIsWrittenAsThisInstanceAtTheClocksTime() {
        given(repository.insert(any(), any(), anyList())).willReturn(Mono.empty());
        meters.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN").increment(3);
        recorder.recordOnce().block();
        now.set(T0.plusSeconds(30));
        meters.counter(MeterReadings.SCANS_INGESTED, "verdict", "CLEAN").increment(2);

        recorder.recordOnce().block();

        @SuppressWarnings("unchecked")
        ArgumentCaptor<List<Measurement>> written = ArgumentCaptor.forClass(List.class);
        verify(repository).insert(eq("host-a1b2"), eq(T0.plusSeconds(30)), written.capture());
        assertThat(written.getValue()).filteredOn(measurement -> measurement.metric() == ServiceMetric.SCANS_INGESTED)
                .singleElement().extracting(Measurement::value).isEqualTo(2.0);
    }

    @Test
    void aFailedWriteIsCountedAndTheLoopGoesOnToTheNextInterval() {
        given(repository.insert(any(), any(), anyList()))
                .willReturn(Mono.error(new IllegalStateException("no primary")))
                .willReturn(Mono.empty());
        VirtualTimeScheduler time = VirtualTimeScheduler.create();

        StepVerifier.withVirtualTime(() -> recorder.loop(time), () -> time, Long.MAX_VALUE)
                .thenAwait(Duration.ofSeconds(90))
                .thenCancel()
                .verify();

        verify(repository, times(3)).insert(any(), any(), anyList());
        assertThat(meters.counter(ServiceMetricsRecorder.FAILURES).count()).isEqualTo(1.0);
    }

    @Test
    void aBrokenReadingIsAFailedIntervalNotAStoppedRecorder() {
        given(repository.insert(any(), any(), anyList())).willThrow(new IllegalArgumentException("unexpected"));

        StepVerifier.create(recorder.recordOnce()).verifyComplete();

        assertThat(meters.counter(ServiceMetricsRecorder.FAILURES).count()).isEqualTo(1.0);
    }
}
