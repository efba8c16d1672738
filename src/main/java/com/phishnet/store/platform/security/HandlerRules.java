package com.phishnet.store.platform.security;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.phishnet.store.platform.security.Access.Rule;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.MethodParameter;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;

/**
 * Refuses to start when a handler method declares no {@link Requires} rule, or one that could not be enforced:
 * authority is decided in one place, so a route that escapes it must not exist.
 */
final class HandlerRules implements SmartInitializingSingleton {

    private final ListableBeanFactory beans;

    HandlerRules(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void afterSingletonsInstantiated() {
        var handlers = beans.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class)
                .getHandlerMethods();
        List<String> problems = problems(handlers, lookup -> beans.getBeanNamesForType(lookup).length == 1);
        if (!problems.isEmpty()) {
            throw new SecurityConfigurationException("Handler methods without an enforceable authorization rule: "
                    + String.join("; ", problems) + ".",
                    "Annotate every handler method with @Requires and the Access.Rule its callers must pass; a rule"
                            + " other than PUBLIC needs the Caller as first parameter, one about a user an {id} path"
                            + " variable.");
        }
    }

    /** What is wrong with the handlers' rules, one line per problem; empty when every handler is covered. */
    static List<String> problems(Map<RequestMappingInfo, HandlerMethod> handlers,
            Predicate<Class<? extends OwnerLookup>> isOwnerLookupBean) {
        List<String> problems = new ArrayList<>();
        handlers.forEach((mapping, handler) -> {
            if (ApiDocsHandlers.isApiDocs(handler)) {
                // springdoc's document and UI handlers: not API routes; SecurityConfig guards their paths.
                return;
            }
            String name = handler.getBeanType().getSimpleName() + "." + handler.getMethod().getName() + "()";
            Requires requires = handler.getMethodAnnotation(Requires.class);
            if (requires == null) {
                problems.add(name + " declares no @Requires rule");
                return;
            }
            Rule rule = requires.value();
            MethodParameter[] parameters = handler.getMethodParameters();
            if (rule == Rule.PUBLIC && Arrays.stream(parameters).anyMatch(HandlerRules::isCaller)) {
                problems.add(name + " is PUBLIC but takes a Caller, which needs a token");
            }
            if (rule != Rule.PUBLIC && (parameters.length == 0 || !isCaller(parameters[0]))) {
                // The rule is checked where the Caller is resolved; first, so before any other argument is read.
                problems.add(name + " requires " + rule + " but does not take the Caller first, where the rule is checked");
            }
            if (rule.actsOnAUser() && !mapping.getPatternsCondition().getPatterns().stream()
                    .allMatch(pattern -> pattern.getPatternString().contains("{id}"))) {
                problems.add(name + " requires " + rule + " but its path has no {id}");
            }
            boolean namesOwner = requires.owner() != OwnerLookup.class;
            if (rule == Rule.OWNER_OR_ADMIN && !namesOwner) {
                problems.add(name + " requires OWNER_OR_ADMIN but names no owner lookup");
            }
            if (rule != Rule.OWNER_OR_ADMIN && namesOwner) {
                problems.add(name + " names an owner lookup that " + rule + " does not use");
            }
            if (namesOwner && !isOwnerLookupBean.test(requires.owner())) {
                problems.add(name + " names " + requires.owner().getSimpleName() + ", which is not one bean");
            }
        });
        problems.sort(Comparator.naturalOrder());
        return problems;
    }

    /** A Caller our resolver builds: an annotated one ({@code @RequestBody Caller}) would be read from the request. */
    private static boolean isCaller(MethodParameter parameter) {
        return parameter.getParameterType() == Caller.class && parameter.getParameterAnnotations().length == 0;
    }
}
