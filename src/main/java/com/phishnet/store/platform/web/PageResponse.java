package com.phishnet.store.platform.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.web.util.UriComponents;
import org.springframework.web.util.UriComponentsBuilder;

/** A page of a list: {@code {items, page, size, total, pages, links}} with first/prev/next/last links. */
public record PageResponse<T>(List<T> items, int page, int size, long total, long pages, Map<String, String> links) {

    public static <T> PageResponse<T> of(List<T> items, PageRequest request, long total, URI requestUri) {
        long pages = total == 0 ? 0 : (total + request.size() - 1) / request.size();
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", link(requestUri, request.page(), request.size()));
        links.put("first", link(requestUri, 1, request.size()));
        if (request.page() > 1) {
            links.put("prev", link(requestUri, (int) Math.min(request.page() - 1, Math.max(pages, 1)), request.size()));
        }
        if (request.page() < pages) {
            links.put("next", link(requestUri, request.page() + 1, request.size()));
        }
        links.put("last", link(requestUri, (int) Math.max(pages, 1), request.size()));
        return new PageResponse<>(items, request.page(), request.size(), total, pages, links);
    }

    public <R> PageResponse<R> map(Function<T, R> mapper) {
        return new PageResponse<>(items.stream().map(mapper).toList(), page, size, total, pages, links);
    }

    /** Path and query only: clients resolve them against the address they called. */
    private static String link(URI requestUri, int page, int size) {
        UriComponents link = UriComponentsBuilder.fromUri(requestUri)
                .replaceQueryParam("page", page)
                .replaceQueryParam("size", size)
                .build();
        return link.getPath() + "?" + link.getQuery();
    }
}
