package com.phishnet.store.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

/** The shipped groups, as application.yaml declares them, decide which budget a path spends. */
class RateLimitGroupsConfigTest {

    private final List<RateLimitProperties.Group> groups = shipped().groups();

    @Test
    void prometheusScrapesHaveATightPerIpBudgetBecauseEachWrongPasswordCostsABcryptCheck() {
        RateLimitProperties.Group group = firstMatching("/actuator/prometheus");

        assertThat(group.name()).isEqualTo("scrape");
        assertThat(group.perIp()).isLessThanOrEqualTo(30);
    }

    @Test
    void everyOtherActuatorPathIsLimitedToo() {
        assertThat(firstMatching("/actuator/health/liveness").name()).isEqualTo("actuator");
        assertThat(firstMatching("/actuator/metrics").name()).isEqualTo("actuator");
    }

    @Test
    void theApiDocumentAndUiHaveTheirOwnBudgets() {
        assertThat(firstMatching("/v3/api-docs").name()).isEqualTo("api-docs");
        assertThat(firstMatching("/v3/api-docs/swagger-config").name()).isEqualTo("api-docs");
        assertThat(firstMatching("/swagger-ui/index.html").name()).isEqualTo("swagger-ui");
    }

    @Test
    void apiPathsKeepTheirGroups() {
        assertThat(firstMatching("/api/v1/admin/audit").name()).isEqualTo("admin");
        assertThat(firstMatching("/api/v1/users").name()).isEqualTo("api");
    }

    @Test
    void bulkIngestionHasABudgetOfItsOwnNextToTheSingleRoutes() {
        RateLimitProperties.Group batch = firstMatching("/api/v1/scans:batch");

        assertThat(batch.name()).isEqualTo("ingest-batch");
        assertThat(batch.method()).isEqualTo("POST");
        // Requests of up to 1,000 scans each: a budget in requests far below the single route's.
        assertThat(batch.perPrincipal()).isLessThanOrEqualTo(60);
        assertThat(firstMatching("/api/v1/scans").name()).isEqualTo("ingest");
        assertThat(firstMatching("/api/v1/scans/s-1").name()).isEqualTo("api");
    }

    private RateLimitProperties.Group firstMatching(String path) {
        return groups.stream()
                .filter(group -> PathPatternParser.defaultInstance.parse(group.path()).matches(PathContainer.parsePath(path)))
                .findFirst().orElseThrow();
    }

    private static RateLimitProperties shipped() {
        try {
            List<PropertySource<?>> yaml = new YamlPropertySourceLoader().load("application",
                    new ClassPathResource("application.yaml"));
            return new Binder(ConfigurationPropertySources.from(yaml.get(0)))
                    .bind("phishnet.rate-limit", RateLimitProperties.class).get();
        }
        catch (IOException failure) {
            throw new IllegalStateException(failure);
        }
    }
}
