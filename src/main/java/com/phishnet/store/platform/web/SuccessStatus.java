package com.phishnet.store.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.http.HttpStatus;

/**
 * The success status of a handler that sets it on its {@code ResponseEntity} (201, 202, 204...), for the API
 * document: springdoc cannot see it in the return type and would document 200. Documentation only; the handler's
 * entity decides the status at run time (ApiDocumentTest checks the document says what this says, and the handler
 * tests that the handler answers it). A handler annotated with Spring's {@code @ResponseStatus} needs no more.
 */
@Documented
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface SuccessStatus {

    /** The status of the handler's success answer; its body keeps the return type's schema. */
    HttpStatus value();

    /** When the handler also answers 200 with a body of the same type (a replay, a dry run): what that 200 is. */
    String alsoOk() default "";

    /** The answer names the new record, or the job to follow, in {@code Location}. */
    boolean location() default false;

    /** The media type of a binary body (a download), documented as a byte stream in place of the return type. */
    String binary() default "";

    /** The handler also answers 206 with part of the binary body to a {@code Range} request. */
    boolean ranges() default false;
}
