package com.phishnet.store.retention;

/** A hold stops deletion while ACTIVE; a LIFTED one is kept as the record of the hold. Stored by name. */
public enum LegalHoldState {
    ACTIVE, LIFTED
}
