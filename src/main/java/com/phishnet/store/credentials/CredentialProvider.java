package com.phishnet.store.credentials;

/** The mail providers whose OAuth tokens the service keeps. */
public enum CredentialProvider {
    GOOGLE, MICROSOFT, IMAP
}
