package com.phishnet.store.platform.security;

import com.phishnet.store.platform.ConfigurationRefusedException;

/** The security settings are unsafe or incomplete. */
public class SecurityConfigurationException extends ConfigurationRefusedException {

    public SecurityConfigurationException(String message, String action) {
        super(message, action);
    }
}
