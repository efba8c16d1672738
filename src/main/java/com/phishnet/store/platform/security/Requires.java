package com.phishnet.store.platform.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import com.phishnet.store.platform.security.Access.Rule;

/**
 * The rule a handler method's callers must pass, checked before it runs: a refused caller gets the 403 problem
 * (audited as ACCESS_DENIED) and the handler, hence its service, is never called. Every handler method declares
 * one; the application does not start otherwise ({@link HandlerRules}).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Requires {

    Rule value();

    /** For {@link Rule#OWNER_OR_ADMIN} only: who owns the record the route's {@code {id}} names. */
    Class<? extends OwnerLookup> owner() default OwnerLookup.class;
}
