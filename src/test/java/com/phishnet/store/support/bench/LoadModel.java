package com.phishnet.store.support.bench;

/** How load is offered. */
public enum LoadModel {

    /**
     * A fixed number of workers, each starting its next call when its last one ends: shows throughput, but a slow
     * call also delays the calls that would have followed it, so its latencies flatter a stall (coordinated
     * omission).
     */
    CLOSED,

    /**
     * Calls arrive at a fixed rate whatever happens to earlier ones; each latency counts from the call's intended
     * start, so a stall counts against every call that queued behind it.
     */
    OPEN
}
