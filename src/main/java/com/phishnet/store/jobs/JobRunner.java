package com.phishnet.store.jobs;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Runs accepted admin jobs after their request has been answered (202 Accepted). The one place where work is
 * subscribed outside a request: the job records its own progress and failure, and the runner logs anything
 * that escapes and cancels what is still running at shutdown.
 */
@Component
public class JobRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    private final Set<Disposable> running = ConcurrentHashMap.newKeySet();

    public void launch(String jobId, Mono<?> work) {
        Disposable[] handle = new Disposable[1];
        handle[0] = work
                .doFinally(signal -> running.remove(handle[0]))
                .subscribe(done -> log.info("job {} finished", jobId),
                        failure -> log.error("job {} failed outside its own handling", jobId, failure));
        running.add(handle[0]);
    }

    @Override
    public void destroy() {
        running.forEach(Disposable::dispose);
    }
}
