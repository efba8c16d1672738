package com.phishnet.store.platform.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Locale;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The value still fits {@link #max()} characters in the form it is stored: trimmed and lower-cased. Lower-casing
 * can lengthen a string ({@code İ} becomes {@code i̇}), so {@code @Size} on the input alone would let through an
 * address the collection's validator then refuses (error 121, a 500).
 */
@Documented
@Constraint(validatedBy = FitsLowerCased.Check.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface FitsLowerCased {

    int max();

    String message() default "is longer than {max} characters once lower-cased";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** Counts UTF-16 units, never fewer than the code points a {@code $jsonSchema} maxLength counts. */
    class Check implements ConstraintValidator<FitsLowerCased, String> {

        private int max;

        @Override
        public void initialize(FitsLowerCased annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || value.trim().toLowerCase(Locale.ROOT).length() <= max;
        }
    }
}
