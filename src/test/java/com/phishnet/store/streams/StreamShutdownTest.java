package com.phishnet.store.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import org.junit.jupiter.api.Test;

import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;

class StreamShutdownTest {

    @Test
    void streamsEndBeforeTheWebServerWaitsForOpenRequests() {
        StreamService streams = mock(StreamService.class);
        StreamShutdown shutdown = new StreamShutdown(streams);

        // Lifecycle beans stop in descending phase order.
        assertThat(shutdown.getPhase()).isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
        shutdown.start();
        shutdown.stop();

        verify(streams).stop();
        assertThat(shutdown.isRunning()).isFalse();
    }
}
