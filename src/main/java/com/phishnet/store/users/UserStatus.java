package com.phishnet.store.users;

public enum UserStatus {
    ACTIVE, SUSPENDED, DEACTIVATED
}
