package com.phishnet.store.credentials;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;

import com.phishnet.store.credentials.CredentialRequests.CredentialView;
import com.phishnet.store.jobs.Job;
import com.phishnet.store.jobs.JobRunner;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Role;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** Lookup of credentials by account address (blind index), and the admin key-rotation job. */
@RestController
public class CredentialController {

    private final CredentialService credentials;
    private final KeyRotationService keyRotation;
    private final JobRunner runner;

    public CredentialController(CredentialService credentials, KeyRotationService keyRotation, JobRunner runner) {
        this.credentials = credentials;
        this.keyRotation = keyRotation;
        this.runner = runner;
    }

    @GetMapping("/api/v1/credentials")
    public Mono<List<CredentialView>> byAccount(Caller caller, @RequestParam @NotBlank @Email String account) {
        caller.requireAnyRole(Role.ADMIN, Role.ANALYST);
        return credentials.findByAccount(caller, account).collectList();
    }

    /**
     * Starts re-sealing every tenant's credentials under the primary key: 202 with the job to follow, or 409
     * with the running job's Location. Service-wide, so it needs the service-operator authority.
     */
    @PostMapping("/api/v1/admin/key-rotations")
    public Mono<ResponseEntity<Job>> rotateKeys(Caller caller) {
        caller.requireOperator();
        return keyRotation.start(caller)
                .doOnNext(job -> runner.launch(job.id(), keyRotation.run(job, caller)))
                .map(job -> ResponseEntity.accepted().location(KeyRotationService.location(job.id())).body(job));
    }

    @GetMapping("/api/v1/admin/key-rotations/{id}")
    public Mono<Job> keyRotation(Caller caller, @PathVariable String id) {
        caller.requireOperator();
        return keyRotation.status(caller, id);
    }
}
