package com.phishnet.store.streams;

/** The streams a client can follow, each with the SSE event name of its changes. */
public enum StreamKind {
    SCANS("scan"), THREATS("threat"), AUDIT("audit"), JOBS("job");

    private final String eventName;

    StreamKind(String eventName) {
        this.eventName = eventName;
    }

    /** The {@code event:} field of this stream's change events. */
    public String eventName() {
        return eventName;
    }

    /** The metric tag and path segment. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
