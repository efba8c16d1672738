package com.phishnet.store.scans;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What an analyst marks a scan's verdict as, besides the corrected verdict. Written and stored as the exact
 * lower-case values ({@link FeedbackFields#FLAGS}); any other text, including the constant names, is a 400.
 */
public enum FeedbackFlag {
    @JsonProperty("false_positive")
    FALSE_POSITIVE("false_positive"),
    @JsonProperty("false_negative")
    FALSE_NEGATIVE("false_negative"),
    @JsonProperty("needs_review")
    NEEDS_REVIEW("needs_review");

    private final String value;

    FeedbackFlag(String value) {
        this.value = value;
    }

    /** The flag as the API and the {@code feedback} collection write it. */
    public String value() {
        return value;
    }

    /** The flag of a stored value; null for null. */
    public static FeedbackFlag ofStored(String value) {
        if (value == null) {
            return null;
        }
        for (FeedbackFlag flag : values()) {
            if (flag.value.equals(value)) {
                return flag;
            }
        }
        throw new IllegalArgumentException("Unknown feedback flag " + value);
    }
}
