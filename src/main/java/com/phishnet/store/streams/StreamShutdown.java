package com.phishnet.store.streams;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Ends every stream when the service shuts down, before the web server's graceful shutdown (a later lifecycle
 * phase) waits for open requests: otherwise a shutdown would wait out its whole timeout for streams that never end.
 * Clients reconnect to another instance with their last event id.
 */
@Component
class StreamShutdown implements SmartLifecycle {

    private final StreamService streams;
    private volatile boolean running;

    StreamShutdown(StreamService streams) {
        this.streams = streams;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        streams.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
