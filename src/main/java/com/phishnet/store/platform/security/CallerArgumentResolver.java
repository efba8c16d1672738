package com.phishnet.store.platform.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.phishnet.store.platform.web.ClientAddressFilter;
import com.phishnet.store.platform.web.RequestIdFilter;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Lets a controller method take a {@link Caller} parameter, built from the verified JWT and the request. */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(authentication -> (Object) from(((JwtAuthenticationToken) authentication).getToken(), exchange))
                .switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("no bearer token")));
    }

    static Caller from(Jwt jwt, ServerWebExchange exchange) {
        // The address the per-IP rate limit used: the socket peer, or the client behind a trusted proxy.
        String ip = ClientAddressFilter.of(exchange);
        String userAgent = exchange.getRequest().getHeaders().getFirst(HttpHeaders.USER_AGENT);
        return new Caller(jwt.getSubject(), jwt.getClaimAsString(JwtClaims.TENANT), roles(jwt), scopes(jwt), ip,
                userAgent == null ? "" : truncate(userAgent), RequestIdFilter.of(exchange));
    }

    static Set<Role> roles(Jwt jwt) {
        List<String> names = jwt.getClaimAsStringList(JwtClaims.ROLES);
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (names != null) {
            for (String name : names) {
                for (Role role : Role.values()) {
                    if (role.name().equalsIgnoreCase(name)) {
                        roles.add(role);
                    }
                }
            }
        }
        return roles;
    }

    /** OAuth 2 puts scopes in a space-separated {@code scope} string; some issuers use an {@code scp} list. */
    static Set<String> scopes(Jwt jwt) {
        Object scope = jwt.getClaims().get(JwtClaims.SCOPE);
        if (scope instanceof String spaced) {
            return Set.of(spaced.trim().split("\\s+")).stream().filter(s -> !s.isBlank()).collect(Collectors.toSet());
        }
        if (scope instanceof Collection<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.toSet());
        }
        List<String> scp = jwt.getClaimAsStringList("scp");
        return scp == null ? Set.of() : Set.copyOf(scp);
    }

    private static String truncate(String value) {
        return value.length() > 512 ? value.substring(0, 512) : value;
    }
}
