-- The error log (issue 15; io.vigil.server.errorlog). An error that repeats is ONE group row with a
-- count, plus one row per hour in which it occurred: a million repeats in an afternoon are one
-- error_groups row and a handful of error_hourly rows, and the statistics stay exact.

-- One group per (source, fingerprint). source: the agent's name, or 'server:<host>' for the
-- server's own WARN/ERROR log lines. fingerprint: io.vigil.errorgroup.ErrorFingerprint.
CREATE TABLE error_groups (
    id               bigserial   PRIMARY KEY,
    source           text        NOT NULL,
    fingerprint      text        NOT NULL,
    component        text        NOT NULL,
    -- 0 warn, 1 error, 2 critical (io.vigil.server.errorlog.ErrorSeverity); the highest seen
    severity         smallint    NOT NULL CHECK (severity BETWEEN 0 AND 2),
    -- the latest occurrence's texts, bounded by the writer (2,000 chars and 16 KiB, marked when cut)
    message          text        NOT NULL,
    exception_type   text,
    stack            text,
    first_seen       timestamptz NOT NULL,
    last_seen        timestamptz NOT NULL,
    occurrences      bigint      NOT NULL CHECK (occurrences > 0),
    status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_by      text,
    resolved_at      timestamptz,
    resolution_note  text,
    assignee         text,
    reopen_count     integer     NOT NULL DEFAULT 0,
    last_reopened_at timestamptz,
    UNIQUE (source, fingerprint)
);

-- the list, newest last_seen first (keyset paging on (last_seen, id))
CREATE INDEX error_groups_last_seen ON error_groups (last_seen DESC, id DESC);
-- retention: resolved groups by age
CREATE INDEX error_groups_resolved_at ON error_groups (resolved_at) WHERE status = 'resolved';

-- Occurrences per group and UTC hour; a report's count goes to the hour of its last_seen.
CREATE TABLE error_hourly (
    group_id    bigint      NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    hour        timestamptz NOT NULL,
    occurrences bigint      NOT NULL CHECK (occurrences > 0),
    PRIMARY KEY (group_id, hour)
);
-- statistics over a window of hours across all groups; retention of old hours
CREATE INDEX error_hourly_hour ON error_hourly (hour);

-- Who changed a group and when: resolved, reopened (by a person, or by the source whose report
-- recurred after the resolution), assigned.
CREATE TABLE error_activity (
    id       bigserial   PRIMARY KEY,
    group_id bigint      NOT NULL REFERENCES error_groups (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL,
    actor    text        NOT NULL,
    action   text        NOT NULL CHECK (action IN ('resolved', 'reopened', 'assigned')),
    note     text
);
CREATE INDEX error_activity_group ON error_activity (group_id, id);
