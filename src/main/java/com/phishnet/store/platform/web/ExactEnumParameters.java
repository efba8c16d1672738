package com.phishnet.store.platform.web;

import java.beans.PropertyEditorSupport;

import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.InitBinder;

/**
 * Enum request parameters by exact name only ({@code ?verdict= CLEAN} is a 400, not CLEAN). Spring's binder trims
 * enum text twice over: its String-to-Enum converter does, and when a stricter converter refuses, its fallback
 * ({@code TypeConverterDelegate}) trims and retries. An editor registered for {@link Enum} takes precedence over
 * both: it refuses surrounding white space and hands the exact text on to the by-name lookup, which refuses
 * numbers ({@code ?role=2}) and other case.
 */
@ControllerAdvice
public class ExactEnumParameters {

    @InitBinder
    void exactEnumNames(WebDataBinder binder) {
        binder.registerCustomEditor(Enum.class, new UntrimmedText());
    }

    static final class UntrimmedText extends PropertyEditorSupport {

        @Override
        public void setAsText(String text) {
            if (text != null && !text.equals(text.strip())) {
                throw new IllegalArgumentException("not one of the exact names");
            }
            setValue(text);
        }
    }
}
