package com.phishnet.store.platform.time;

/** Where new document ids come from; injected so tests can make them predictable. */
@FunctionalInterface
public interface IdSource {

    String newId();
}
