package com.phishnet.store.platform.web;

/**
 * An offset page: 1-based page number and size. Defaults and limits are the same for every list:
 * size 50 by default, at most 1000.
 */
public record PageRequest(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 1000;

    public PageRequest {
        if (page < 1) {
            throw new IllegalArgumentException("page starts at 1");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
        }
    }

    public long offset() {
        return (long) (page - 1) * size;
    }
}
