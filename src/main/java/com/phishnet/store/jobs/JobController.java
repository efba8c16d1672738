package com.phishnet.store.jobs;

import com.phishnet.store.jobs.JobRequests.JobView;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.security.Requires;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.platform.web.PageResponse;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Every long-running job in one place (key rotations, backups, restores): an operator sees the service's jobs, a
 * tenant's ADMIN that tenant's; anything else is not found.
 */
@RestController
@RequestMapping("/api/v1/admin/jobs")
public class JobController {

    private final JobService jobs;

    public JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @GetMapping
    @Operation(summary = "List jobs")
    @Requires(Rule.ADMIN_OR_OPERATOR)
    public Mono<PageResponse<JobView>> list(Caller caller, ServerWebExchange exchange,
            @RequestParam(required = false) JobType type, @RequestParam(required = false) JobState state,
            @RequestParam(defaultValue = "1") @Min(1) int page,
            @RequestParam(defaultValue = "" + PageRequest.DEFAULT_SIZE) @Min(1) @Max(PageRequest.MAX_SIZE) int size) {
        return jobs.list(caller, type, state, new PageRequest(page, size), exchange.getRequest().getURI());
    }

    @GetMapping("/{id}")
    @Operation(summary = "Get a job")
    @Requires(Rule.ADMIN_OR_OPERATOR)
    public Mono<JobView> get(Caller caller, @PathVariable String id) {
        return jobs.find(caller, id);
    }

    /** 200 with the job as cancelled; 409 when it has already finished; 404 for a job the caller may not see. */
    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel a job")
    @Requires(Rule.ADMIN_OR_OPERATOR)
    public Mono<JobView> cancel(Caller caller, @PathVariable String id) {
        return jobs.cancel(caller, id);
    }
}
