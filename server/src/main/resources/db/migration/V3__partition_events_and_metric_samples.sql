-- Vigil schema, version 3: events and metric_samples partitioned by day, so that retention drops
-- whole partitions instead of deleting rows (no table bloat, no long DELETE, no VACUUM debt).
--
-- Layout, the same for both tables:
--   <table>_pYYYYMMDD  one partition per UTC day, FOR VALUES FROM (day 00:00Z) TO (next day 00:00Z),
--                      created vigil.partitions.days-ahead (7) days ahead by the server
--                      (io.vigil.server.retention.PartitionMaintenance) and dropped whole once the
--                      day is older than vigil.retention.<table>
--   <table>_default    the DEFAULT partition: a safety net that is normally empty. It receives rows
--                      for which no day partition exists: times older than the oldest partition (an
--                      agent delivering a long-spooled backlog) or, if maintenance has not run, a
--                      day not created yet. Retention deletes its rows older than the cutoff; when a
--                      day partition is created, rows of that day are moved out of it first
--                      (vigil_create_day_partition below).
-- Times more than vigil.ingest.max-future (1 day) ahead of the server clock are refused at ingest
-- (400 naming the item), so the far future never reaches the DEFAULT partition.

-- vigil_create_day_partition(parent, day): creates <parent>_pYYYYMMDD for the UTC day `day` unless
-- it exists; true when it created it. When the DEFAULT partition holds rows of that day (PostgreSQL
-- would refuse CREATE ... PARTITION OF), it builds the table, moves those rows into it and attaches
-- it, all in the caller's transaction.
CREATE FUNCTION vigil_create_day_partition(parent text, day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    part     text        := parent || '_p' || to_char(day, 'YYYYMMDD');
    lo       timestamptz := day::timestamp AT TIME ZONE 'UTC';
    hi       timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
    has_rows boolean;
BEGIN
    IF to_regclass(quote_ident(part)) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE time >= $1 AND time < $2)', parent || '_default')
        INTO has_rows USING lo, hi;
    IF NOT has_rows THEN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', part, parent, lo, hi);
    ELSE
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE time >= $1 AND time < $2 RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved', parent || '_default', part) USING lo, hi;
        EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
    END IF;
    RETURN true;
END $$;

-- Events ------------------------------------------------------------------------------------------
ALTER TABLE events RENAME TO events_v1;
ALTER TABLE events_v1 RENAME CONSTRAINT events_pkey TO events_v1_pkey;
ALTER INDEX events_time_id_idx RENAME TO events_v1_time_id_idx;
ALTER INDEX events_type_time_idx RENAME TO events_v1_type_time_idx;
ALTER INDEX events_severity_time_idx RENAME TO events_v1_severity_time_idx;

-- As in V1, with two changes:
-- * the primary key is (id, time): a unique constraint on a partitioned table must contain the
--   partition key. The agent resends an event with its original time, so (id, time) is still the
--   idempotency key (ingest: ON CONFLICT (id, time) DO NOTHING).
-- * agent_id no longer references agents (id). Agents are never deleted (revoking keeps the row),
--   ingest sets agent_id from the authenticated token, and the foreign key made every inserted row
--   lock the agent's row FOR KEY SHARE: concurrent batches of one agent contended on it.
CREATE TABLE events (
    id          uuid        NOT NULL,
    time        timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    agent_id    bigint      NOT NULL,
    host        text,
    agent       text,
    monitor     text,
    plugin      text,
    type        text        NOT NULL,
    severity    smallint    NOT NULL CHECK (severity BETWEEN 0 AND 4),
    subject     text        NOT NULL DEFAULT '',
    title       text        NOT NULL DEFAULT '',
    attributes  jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
    fingerprint text,
    trace_id    text,
    session_id  text,
    PRIMARY KEY (id, time)
) PARTITION BY RANGE (time);
COMMENT ON COLUMN events.severity IS '0 info, 1 low, 2 medium, 3 high, 4 critical';
COMMENT ON COLUMN events.agent IS 'agent name as the agent reported it; agent_id is the agent that authenticated';
CREATE TABLE events_default PARTITION OF events DEFAULT;

-- Indexes (each partition gets its own; docs/architecture.md explains the choice):
-- recent events and keyset pagination, ORDER BY time DESC, id DESC (or ASC, scanned backwards)
CREATE INDEX events_time_id_idx ON events (time DESC, id DESC);
-- the same order within a severity: severity_min / severity sets, the dashboard's counts
CREATE INDEX events_severity_time_idx ON events (severity, time DESC, id DESC);
-- the same order within a type
CREATE INDEX events_type_time_idx ON events (type, time DESC, id DESC);
-- every event of one monitor run (trace) or agent process (session)
CREATE INDEX events_trace_idx ON events (trace_id) WHERE trace_id IS NOT NULL;
-- attribute equality: attributes @> '{"asset": "BTC"}' (jsonb_path_ops: smaller and faster than
-- the default jsonb_ops, and containment is the only operator the API uses).
-- Both GIN indexes keep their fast-update pending list, but at 1 MB instead of 4 MB: the insert
-- that fills the list merges it into the index in the foreground, and a smaller list makes those
-- stalls shorter (more frequent) for the ingest latency tail. (fastupdate = off measured 2-3 times
-- slower ingest with the trigram index.)
CREATE INDEX events_attributes_idx ON events USING gin (attributes jsonb_path_ops)
    WITH (gin_pending_list_limit = 1024);

-- Free text in titles (title ILIKE '%...%') is served by a trigram index when the pg_trgm extension
-- can be created (it ships with PostgreSQL's contrib and is a trusted extension: the database owner
-- may create it). Without it the search still works, as a filter on the time-ordered scan.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%); title search runs without a trigram index', SQLERRM;
    END;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX events_title_trgm_idx ON events USING gin (title gin_trgm_ops) '
                'WITH (gin_pending_list_limit = 1024)';
    END IF;
END $$;

-- Metric samples ------------------------------------------------------------------------------------
ALTER TABLE metric_samples RENAME TO metric_samples_v1;
ALTER TABLE metric_samples_v1 RENAME CONSTRAINT metric_samples_pkey TO metric_samples_v1_pkey;

-- (series_id, time) stays the key (it already holds the partition key) and serves a series' range
-- reads. series_id no longer references metric_series (id): series are never deleted, and the check
-- cost a lookup per sample at 100,000 samples/s.
CREATE TABLE metric_samples (
    series_id bigint           NOT NULL,
    time      timestamptz      NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (series_id, time)
) PARTITION BY RANGE (time);
CREATE TABLE metric_samples_default PARTITION OF metric_samples DEFAULT;

-- Label matchers (labels @> '{"asset": "BTC"}') find series without scanning them all.
CREATE INDEX metric_series_labels_idx ON metric_series USING gin (labels jsonb_path_ops);

-- Existing rows: a partition for each day that has data, and for yesterday to a week ahead
-- (the server keeps that window up to date from now on), then copy and drop the old tables.
DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT DISTINCT (time AT TIME ZONE 'UTC')::date FROM events_v1
             UNION SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                          (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day')::date
    LOOP
        PERFORM vigil_create_day_partition('events', d);
    END LOOP;
    FOR d IN SELECT DISTINCT (time AT TIME ZONE 'UTC')::date FROM metric_samples_v1
             UNION SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                          (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day')::date
    LOOP
        PERFORM vigil_create_day_partition('metric_samples', d);
    END LOOP;
END $$;

INSERT INTO events SELECT * FROM events_v1;
DROP TABLE events_v1;
INSERT INTO metric_samples SELECT * FROM metric_samples_v1;
DROP TABLE metric_samples_v1;
