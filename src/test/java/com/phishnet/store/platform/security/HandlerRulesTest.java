package com.phishnet.store.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import com.phishnet.store.platform.security.Access.Rule;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;

/** The startup check that makes a handler without an enforceable rule impossible. */
class HandlerRulesTest {

    @Test
    void handlersThatDeclareAnEnforceableRuleAreCovered() {
        assertThat(HandlerRules.problems(Map.of(
                mapping("/things/{id}"), handler("self"),
                mapping("/things"), handler("open"),
                mapping("/tokens/{id}"), handler("owned")), lookup -> true)).isEmpty();
    }

    @Test
    void aHandlerWithoutARuleStopsTheStart() {
        assertThat(HandlerRules.problems(Map.of(mapping("/things"), handler("forgotten")), lookup -> true))
                .containsExactly("Handlers.forgotten() declares no @Requires rule");
    }

    @Test
    void aRuleThatCouldNotBeCheckedStopsTheStart() {
        Map<RequestMappingInfo, HandlerMethod> handlers = new LinkedHashMap<>();
        handlers.put(mapping("/a"), handler("noCaller"));
        handlers.put(mapping("/e"), handler("callerLast"));
        handlers.put(mapping("/f"), handler("callerFromTheBody"));
        handlers.put(mapping("/b"), handler("publicWithCaller"));
        handlers.put(mapping("/things"), handler("selfWithoutId"));
        handlers.put(mapping("/c/{id}"), handler("ownerWithoutLookup"));
        handlers.put(mapping("/d/{id}"), handler("lookupWithoutOwnerRule"));

        assertThat(HandlerRules.problems(handlers, lookup -> true)).containsExactly(
                "Handlers.callerFromTheBody() requires ADMIN but does not take the Caller first, where the rule is checked",
                "Handlers.callerLast() requires ADMIN but does not take the Caller first, where the rule is checked",
                "Handlers.lookupWithoutOwnerRule() names an owner lookup that ADMIN does not use",
                "Handlers.noCaller() requires ADMIN but does not take the Caller first, where the rule is checked",
                "Handlers.ownerWithoutLookup() requires OWNER_OR_ADMIN but names no owner lookup",
                "Handlers.publicWithCaller() is PUBLIC but takes a Caller, which needs a token",
                "Handlers.selfWithoutId() requires SELF_OR_ADMIN but its path has no {id}");
    }

    @Test
    void springdocsDocumentHandlersNeedNoRule() throws NoSuchMethodException {
        // A springdoc handler as the application maps it (the UI's config endpoint); the class is springdoc's own.
        Method swaggerConfig = org.springdoc.webflux.ui.SwaggerConfigResource.class.getMethod("getSwaggerUiConfig",
                org.springframework.web.server.ServerWebExchange.class);
        HandlerMethod springdoc = new HandlerMethod(org.mockito.Mockito.mock(
                org.springdoc.webflux.ui.SwaggerConfigResource.class), swaggerConfig);

        assertThat(HandlerRules.problems(Map.of(mapping("/v3/api-docs/swagger-config"), springdoc), lookup -> true))
                .isEmpty();
    }

    @Test
    void anOwnerLookupThatIsNoBeanStopsTheStart() {
        assertThat(HandlerRules.problems(Map.of(mapping("/tokens/{id}"), handler("owned")), lookup -> false))
                .containsExactly("Handlers.owned() names Owners, which is not one bean");
    }

    private static RequestMappingInfo mapping(String path) {
        return RequestMappingInfo.paths(path).build();
    }

    private static HandlerMethod handler(String name) {
        for (Method method : Handlers.class.getDeclaredMethods()) {
            if (method.getName().equals(name)) {
                return new HandlerMethod(new Handlers(), method);
            }
        }
        throw new IllegalArgumentException(name);
    }

    static class Owners implements OwnerLookup {
        @Override
        public Mono<String> ownerOf(Caller caller, String id) {
            return Mono.empty();
        }
    }

    static class Handlers {
        @Requires(Rule.SELF_OR_ADMIN)
        Mono<String> self(Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.PUBLIC)
        Mono<String> open() {
            return Mono.empty();
        }

        @Requires(value = Rule.OWNER_OR_ADMIN, owner = Owners.class)
        Mono<String> owned(Caller caller) {
            return Mono.empty();
        }

        Mono<String> forgotten(Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.ADMIN)
        Mono<String> noCaller() {
            return Mono.empty();
        }

        @Requires(Rule.ADMIN)
        Mono<String> callerLast(String id, Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.ADMIN)
        Mono<String> callerFromTheBody(@org.springframework.web.bind.annotation.RequestBody Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.PUBLIC)
        Mono<String> publicWithCaller(Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.SELF_OR_ADMIN)
        Mono<String> selfWithoutId(Caller caller) {
            return Mono.empty();
        }

        @Requires(Rule.OWNER_OR_ADMIN)
        Mono<String> ownerWithoutLookup(Caller caller) {
            return Mono.empty();
        }

        @Requires(value = Rule.ADMIN, owner = Owners.class)
        Mono<String> lookupWithoutOwnerRule(Caller caller) {
            return Mono.empty();
        }
    }
}
