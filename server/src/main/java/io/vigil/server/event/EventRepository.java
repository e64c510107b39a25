package io.vigil.server.event;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import io.micronaut.data.repository.jpa.JpaSpecificationExecutor;

import java.util.Optional;
import java.util.UUID;

/** Reads stored events; the filtered, paged query is built by {@link EventQuery}. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface EventRepository extends GenericRepository<StoredEvent, UUID>,
        JpaSpecificationExecutor<StoredEvent> {

    Optional<StoredEvent> findById(UUID id);
}
