package com.phishnet.store.audit;

/**
 * A removal through an audit entry that the stored chain does not have as described: no entry at that seq, another
 * hash (the archive does not match the chain), or the chain's head. Nothing was removed.
 */
public class AuditChainMismatchException extends RuntimeException {

    public AuditChainMismatchException(String message) {
        super(message);
    }
}
