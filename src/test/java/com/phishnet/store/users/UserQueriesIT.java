package com.phishnet.store.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.phishnet.store.platform.security.Access.Role;
import com.phishnet.store.platform.web.PageRequest;
import com.phishnet.store.support.Explain;
import com.phishnet.store.support.MigratedTemplate;
import com.phishnet.store.support.MongoTestDatabase;
import com.phishnet.store.support.RequiresRealMongo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;

/** The user queries the service issues are served by indexes on a real server. */
@RequiresRealMongo
class UserQueriesIT {

    private MongoTestDatabase db;
    private ReactiveMongoTemplate template;

    @BeforeEach
    void migrate() {
        db = MongoTestDatabase.create();
        template = MigratedTemplate.on(db);
        template.insert(new User("u-1", "acme", "a@x.example", "a@x.example", null, Role.USER, UserStatus.ACTIVE,
                User.UserStats.empty(), Instant.now(), Instant.now())).block();
    }

    @AfterEach
    void drop() {
        db.close();
    }

    @Test
    void userListsAndLookupsUseIndexes() {
        PageRequest page = new PageRequest(1, 50);
        List<Query> queries = List.of(
                UserRepository.byId("acme", "u-1"),
                UserRepository.filter("acme", null, null).with(Sort.by(Sort.Direction.DESC, UserFields.CREATED_AT,
                        UserFields.ID)).limit(page.size()),
                UserRepository.filter("acme", Role.ANALYST, UserStatus.ACTIVE).with(Sort.by(Sort.Direction.DESC,
                        UserFields.CREATED_AT, UserFields.ID)).limit(page.size()));

        queries.forEach(query -> assertThat(Explain.stages(Explain.winningPlan(template, query, User.class)))
                .as(query.toString()).doesNotContain("COLLSCAN"));
    }
}
