package com.phishnet.store.jobs;

/** Whose a job is, and so who may start and read it. */
public enum JobScope {
    /** Crosses tenants (key rotation): started and read only with the service-operator authority. */
    SERVICE,
    /** One tenant's work: started and read only within that tenant. */
    TENANT
}
