package com.phishnet.store.platform.security;

import reactor.core.publisher.Mono;

/**
 * Told about every request refused for lack of rights, so it can be audited. Implemented by the audit
 * feature; the platform only knows this interface.
 */
public interface DeniedAccessRecorder {

    Mono<Void> accessDenied(Caller caller, String method, String path, String reason);
}
