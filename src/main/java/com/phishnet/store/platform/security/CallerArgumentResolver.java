package com.phishnet.store.platform.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.security.Access.Rule;
import com.phishnet.store.platform.security.Access.Target;
import com.phishnet.store.platform.web.ClientAddressFilter;
import com.phishnet.store.platform.web.RequestIdFilter;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.reactive.BindingContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.result.method.HandlerMethodArgumentResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Lets a controller method take a {@link Caller} parameter, built from the verified JWT and the request, and is
 * where the method's {@link Requires} rule is enforced: arguments are resolved before a handler runs, and every
 * handler with a rule other than PUBLIC takes a Caller ({@link HandlerRules}). A refusal is an
 * {@link AccessDeniedException}, which the security filter chain audits and answers as a 403 problem.
 */
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    /** The path variable SELF and OWNER rules read, and the query parameter naming another tenant. */
    static final String ID_VARIABLE = "id";
    static final String TENANT_PARAMETER = "tenant";

    private final BeanFactory beans;

    public CallerArgumentResolver(BeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Mono<Object> resolveArgument(MethodParameter parameter, BindingContext bindingContext,
            ServerWebExchange exchange) {
        Requires requires = parameter.getMethodAnnotation(Requires.class);
        if (requires == null) {
            return Mono.error(new IllegalStateException(parameter.getMethod() + " declares no @Requires rule"));
        }
        return ReactiveSecurityContextHolder.getContext()
                .mapNotNull(context -> context.getAuthentication())
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(authentication -> from(((JwtAuthenticationToken) authentication).getToken(), exchange))
                .switchIfEmpty(Mono.error(() -> new AuthenticationCredentialsNotFoundException("no bearer token")))
                .flatMap(caller -> authorize(requires, caller, exchange).<Object>thenReturn(caller));
    }

    private Mono<Void> authorize(Requires requires, Caller caller, ServerWebExchange exchange) {
        Rule rule = requires.value();
        String id = exchange.<Map<String, String>>getAttributeOrDefault(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE,
                Map.of()).get(ID_VARIABLE);
        List<String> tenants = exchange.getRequest().getQueryParams().getOrDefault(TENANT_PARAMETER, List.of());
        String refusal = rule.refusal(caller, new Target(rule == Rule.OWNER_OR_ADMIN ? null : id, tenants));
        if (refusal == null) {
            return Mono.empty();
        }
        if (rule != Rule.OWNER_OR_ADMIN) {
            return Mono.error(new AccessDeniedException(refusal));
        }
        // Only a caller the rule does not pass without it costs a read; an unknown record is the handler's 404.
        return beans.getBean(requires.owner()).ownerOf(caller, id)
                .mapNotNull(owner -> rule.refusal(caller, new Target(owner, tenants)))
                .flatMap(reason -> Mono.error(new AccessDeniedException(reason)));
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
            return Arrays.stream(spaced.trim().split("\\s+")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
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
