package com.phishnet.store.erasure;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.phishnet.store.analytics.TenantStatsService;
import com.phishnet.store.audit.AuditEvent;
import com.phishnet.store.audit.AuditEventType;
import com.phishnet.store.audit.AuditOutcome;
import com.phishnet.store.audit.AuditService;
import com.phishnet.store.credentials.CredentialService;
import com.phishnet.store.erasure.ErasureRequests.ErasureReport;
import com.phishnet.store.platform.crypto.FieldCipher;
import com.phishnet.store.platform.crypto.FieldContext;
import com.phishnet.store.platform.mongo.Transactions;
import com.phishnet.store.platform.security.Caller;
import com.phishnet.store.platform.time.IdSource;
import com.phishnet.store.platform.web.ApiException;
import com.phishnet.store.retention.RetentionService;
import com.phishnet.store.scans.ScanService;
import com.phishnet.store.scans.ScanService.Pseudonymised;
import com.phishnet.store.tokens.RefreshTokenService;
import com.phishnet.store.users.UserFields;
import com.phishnet.store.users.UserService;
import com.phishnet.store.users.UserService.UserErasure;

import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * GDPR erasure of one user's personal data, in two steps.
 * <ol>
 * <li><b>The account</b>, in one transaction: refused (409, {@code legal-hold}) while a legal hold covers the user
 * or tenant; the user's email and emailNormalized become the pseudonym, the display name goes, the status becomes
 * ERASED; the user's OAuth credentials and refresh tokens are deleted; the register entry is written, holding the
 * erased address sealed until step 2 completes; and USER_ERASED is audited with the counts and the reason. From the
 * commit on, the user can be granted nothing and no new scan of theirs is accepted.</li>
 * <li><b>The records</b>, after the commit and outside any transaction, since a user's emails and scans may be far
 * more than a transaction may hold: the ip and user agent of the audit entries the user acted in
 * ({@link AuditService#erasePersonalData}), then one server-side updateMany per collection
 * ({@link ScanService#pseudonymiseUser}),
 * then the register entry is marked completed (its sealed address removed), the user's Redis entries dropped, and
 * a second USER_ERASED records those counts.</li>
 * </ol>
 * Re-running is how an interrupted erasure completes: a POST for an ERASED user changes nothing in step 1 (beyond
 * deleting anything left, which is nothing), opens the pending address from the register if step 2 never completed,
 * and runs step 2 again. Step 2's updates select only records still holding personal data, so on a completed
 * erasure they change nothing and the answer counts zeros.
 */
@Service
public class ErasureService {

    static final String PENDING_ADDRESS_FIELD = ErasureFields.PENDING_ADDRESS;

    private final ErasureRepository register;
    private final UserService users;
    private final CredentialService credentials;
    private final RefreshTokenService refreshTokens;
    private final ScanService scans;
    private final TenantStatsService stats;
    private final RetentionService retention;
    private final AuditService audit;
    private final Transactions transactions;
    private final FieldCipher cipher;
    private final Clock clock;
    private final IdSource ids;

    public ErasureService(ErasureRepository register, UserService users, CredentialService credentials,
            RefreshTokenService refreshTokens, ScanService scans, TenantStatsService stats, RetentionService retention,
            AuditService audit, Transactions transactions, FieldCipher cipher, Clock clock, IdSource ids) {
        this.register = register;
        this.users = users;
        this.credentials = credentials;
        this.refreshTokens = refreshTokens;
        this.scans = scans;
        this.stats = stats;
        this.retention = retention;
        this.audit = audit;
        this.transactions = transactions;
        this.cipher = cipher;
        this.clock = clock;
        this.ids = ids;
    }

    /** Step 1's outcome: the user, what it deleted, and the address step 2 must look for (null: none left). */
    private record AccountErased(UserErasure user, String address, long credentialsDeleted, long refreshTokensDeleted) {

        @Override
        public String toString() {
            return "AccountErased[userId=" + user.userId() + "]";
        }
    }

    /** Erases the user of the caller's tenant, or of the one an operator names; 404, 409 under a hold. */
    public Mono<ErasureReport> erase(Caller caller, String tenantParameter, String userId, String reason) {
        String tenant = tenantParameter == null || tenantParameter.isBlank() ? caller.tenantId() : tenantParameter;
        String why = reason.strip();
        return Mono.defer(() -> {
            // Fixed before the transaction, so each re-run of the unit writes the same entry.
            String entryId = ids.newId();
            Instant now = clock.instant();
            return transactions.run(tenant, () -> eraseAccount(caller, tenant, userId, why, entryId, now))
                    .flatMap(account -> eraseRecords(caller, tenant, why, account));
        });
    }

    private Mono<AccountErased> eraseAccount(Caller caller, String tenant, String userId, String reason, String entryId,
            Instant now) {
        // One after the other: operations of one transaction must not overlap on its session.
        return users.exists(tenant, userId)
                .flatMap(exists -> exists ? retention.isHeld(tenant, userId)
                        : Mono.error(new ApiException.NotFound("No user " + userId + ".")))
                .flatMap(held -> held ? Mono.error(new ApiException.Held("User " + userId
                        + "'s data is under a legal hold; lift the hold before erasing.")) : users.eraseWithin(tenant, userId, now))
                .flatMap(user -> credentials.deleteAllOfUserWithin(tenant, userId)
                        .zipWhen(deleted -> refreshTokens.deleteAllOfUserWithin(tenant, userId))
                        .flatMap(deleted -> registered(caller, tenant, user, entryId, now)
                                .flatMap(address -> audit.record(event(caller, tenant, userId, reason)
                                                .withDetail("stage", "account")
                                                .withDetail("userPseudonymised", Boolean.toString(user.erasedNow()))
                                                .withDetail("credentialsDeleted", Long.toString(deleted.getT1()))
                                                .withDetail("refreshTokensDeleted", Long.toString(deleted.getT2())))
                                        .thenReturn(new AccountErased(user, address.orElse(null), deleted.getT1(),
                                                deleted.getT2())))));
    }

    /**
     * The register entry, and the address step 2 looks for: for an erasure starting now, the address just replaced,
     * stored sealed in the entry until step 2 completes; for a user erased before, the sealed one its entry still
     * holds when step 2 never completed, or none.
     */
    private Mono<Optional<String>> registered(Caller caller, String tenant, UserErasure user, String newId,
            Instant now) {
        String actorTenant = tenant.equals(caller.tenantId()) ? null : caller.tenantId();
        if (user.erasedNow()) {
            return register.find(tenant, user.userId()).map(Erasure::id).defaultIfEmpty(newId)
                    .flatMap(id -> register.started(tenant, user.userId(), id, now, caller.subject(), actorTenant,
                            cipher.seal(user.address(), pendingContext(tenant, id))))
                    .thenReturn(Optional.of(user.address()));
        }
        return register.find(tenant, user.userId())
                // An erased user without an entry (erased by an older build): recorded now, nothing pending.
                .switchIfEmpty(Mono.defer(() -> register.started(tenant, user.userId(), newId, user.erasedAt(),
                        caller.subject(), actorTenant, null)))
                .map(entry -> Optional.ofNullable(entry.pendingAddress() == null ? null
                        : cipher.open(entry.pendingAddress(), pendingContext(tenant, entry.id()))));
    }

    private Mono<ErasureReport> eraseRecords(Caller caller, String tenant, String reason, AccountErased account) {
        String userId = account.user().userId();
        // The user's audit entries lose ip and user agent (the chain still verifies); outside the account transaction,
        // since an admin may be named in very many entries, and re-runnable: erased entries are not selected again.
        return audit.erasePersonalData(tenant, userId)
                .flatMap(auditErased -> scans.pseudonymiseUser(tenant, userId, account.address(), account.user().pseudonym())
                .flatMap(changed -> register.completed(tenant, userId, clock.instant())
                        .then(stats.forgetUser(tenant, userId))
                        .flatMap(dropped -> audit.recordAlone(recordsEvent(caller, tenant, userId, reason, changed, dropped)
                                        .withDetail("auditEntriesPseudonymised", Long.toString(auditErased.erasedEntries()))
                                        .withDetail("legacyAuditEntriesKept", Long.toString(auditErased.legacyEntriesKept())))
                                .thenReturn(new ErasureReport(userId, account.user().erasedAt(),
                                        account.credentialsDeleted(), account.refreshTokensDeleted(), changed.emails(),
                                        changed.scans(), changed.feedback(), dropped)))));
    }

    private static AuditEvent recordsEvent(Caller caller, String tenant, String userId, String reason,
            Pseudonymised changed, long dropped) {
        return event(caller, tenant, userId, reason)
                .withDetail("stage", "records")
                .withDetail("emailsPseudonymised", Long.toString(changed.emails()))
                .withDetail("scansPseudonymised", Long.toString(changed.scans()))
                .withDetail("feedbackCleared", Long.toString(changed.feedback()))
                .withDetail("cacheEntriesDropped", Long.toString(dropped));
    }

    /**
     * In the erased user's tenant, whoever acted, with the reason and never an erased value. Subjects are per
     * tenant, so an operator from another tenant is named with its tenant (as for legal holds).
     */
    static AuditEvent event(Caller caller, String tenant, String userId, String reason) {
        Map<String, String> details = tenant.equals(caller.tenantId()) ? Map.of("reason", reason)
                : Map.of("reason", reason, "actorTenant", caller.tenantId());
        return new AuditEvent(tenant, AuditEventType.USER_ERASED, caller.subject(), UserFields.COLLECTION, userId,
                AuditOutcome.SUCCESS, caller.ip(), caller.userAgent(), caller.requestId(), details);
    }

    static FieldContext pendingContext(String tenant, String entryId) {
        return new FieldContext(tenant, ErasureFields.COLLECTION, entryId, PENDING_ADDRESS_FIELD);
    }
}
