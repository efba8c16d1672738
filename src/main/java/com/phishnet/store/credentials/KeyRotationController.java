package com.phishnet.store.credentials;

import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import com.phishnet.store.platform.web.SuccessStatus;
import io.swagger.v3.oas.annotations.Operation;
import reactor.core.publisher.Mono;

/** Re-sealing every tenant's credentials under the primary key: service-wide work, followed as a job. */
@RestController
@RequestMapping("/api/v1/admin/key-rotations")
public class KeyRotationController {

    private final KeyRotationService keyRotation;

    public KeyRotationController(KeyRotationService keyRotation) {
        this.keyRotation = keyRotation;
    }

    /** 202 with the job to follow, or 409 with the running job's Location. */
    @PostMapping
    @Operation(summary = "Start a key rotation")
    @SuccessStatus(value = HttpStatus.ACCEPTED, location = true)
    @Requires(Rule.OPERATOR)
    public Mono<ResponseEntity<JobView>> start(Caller caller) {
        return keyRotation.launch(caller)
                .map(job -> ResponseEntity.accepted().location(KeyRotationService.location(job.id())).body(job));
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a key rotation job")
    @Requires(Rule.OPERATOR)
    public Mono<JobView> get(Caller caller, @PathVariable String id) {
        return keyRotation.status(caller, id);
    }
}
