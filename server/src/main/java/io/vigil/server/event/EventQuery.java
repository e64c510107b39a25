package io.vigil.server.event;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.model.jpa.criteria.PersistentEntityCriteriaBuilder;
import io.micronaut.data.model.jpa.criteria.PersistentEntityCriteriaQuery;
import io.micronaut.data.model.jpa.criteria.PersistentEntityRoot;
import io.vigil.server.database.DatabaseFailures;
import jakarta.inject.Singleton;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Predicate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Finds events newest first, one page at a time.
 *
 * <p>Keyset pagination on (time, id): a page asks for rows strictly after the cursor in the order
 * (time DESC, id DESC), so pages stay stable while new events arrive and every page costs the same,
 * however deep. The redundant {@code time <= cursor.time} bounds the range scan of
 * {@code events_time_id_idx} (or of the type / severity indexes).
 */
@Singleton
public class EventQuery {

    private final EventRepository repository;

    EventQuery(EventRepository repository) {
        this.repository = repository;
    }

    /** One page of events matching {@code filter}, and the cursor of the next page if there is one. */
    public Page find(EventFilter filter) {
        List<StoredEvent> rows = DatabaseFailures.unlessUnavailable(() -> repository.findAll(cb -> {
            PersistentEntityCriteriaBuilder b = (PersistentEntityCriteriaBuilder) cb;
            PersistentEntityCriteriaQuery<StoredEvent> query = b.createQuery(StoredEvent.class);
            PersistentEntityRoot<StoredEvent> event = query.from(StoredEvent.class);
            Expression<Instant> time = event.get("time");
            Expression<UUID> id = event.get("id");

            List<Predicate> where = new ArrayList<>();
            if (filter.type() != null) {
                where.add(b.equal(event.get("type"), filter.type()));
            }
            if (filter.severityMin() != null) {
                where.add(b.greaterThanOrEqualTo(event.<Short>get("severity"), filter.severityMin().code()));
            }
            if (filter.plugin() != null) {
                where.add(b.equal(event.get("plugin"), filter.plugin()));
            }
            if (filter.monitor() != null) {
                where.add(b.equal(event.get("monitor"), filter.monitor()));
            }
            if (filter.since() != null) {
                where.add(b.greaterThanOrEqualTo(time, filter.since()));
            }
            if (filter.until() != null) {
                where.add(b.lessThan(time, filter.until()));
            }
            EventCursor cursor = filter.before();
            if (cursor != null) {
                where.add(b.lessThanOrEqualTo(time, cursor.time()));
                where.add(b.or(b.lessThan(time, cursor.time()), b.lessThan(id, cursor.id())));
            }
            if (!where.isEmpty()) {
                query.where(b.and(where.toArray(Predicate[]::new)));
            }
            query.orderBy(b.desc(time), b.desc(id));
            // one more than asked: tells whether a next page exists without a count query
            return query.limit(filter.limit() + 1);
        }));
        boolean more = rows.size() > filter.limit();
        List<StoredEvent> page = more ? rows.subList(0, filter.limit()) : rows;
        return new Page(List.copyOf(page), more ? EventCursor.after(page.get(page.size() - 1)) : null);
    }

    /** The event with this id. */
    public Optional<StoredEvent> find(UUID id) {
        return DatabaseFailures.unlessUnavailable(() -> repository.findById(id));
    }

    /**
     * @param events the page, newest first
     * @param next   where the following page starts, {@code null} on the last page
     */
    public record Page(List<StoredEvent> events, @Nullable EventCursor next) {
    }
}
