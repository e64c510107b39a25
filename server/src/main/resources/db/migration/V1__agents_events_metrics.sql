-- Vigil schema, version 1: agents, the event store and metric samples.
-- Flyway owns this schema; never edit a released migration, add V2__... instead.

-- Agents ------------------------------------------------------------------------------------------
-- One row per agent that may ship batches. The bearer token itself is never stored: token_hash is
-- the lower-case hex SHA-256 of the token's UTF-8 bytes. A fast, unsalted hash is the right tool
-- here (unlike for passwords): generated tokens carry 32 random bytes, so there is nothing to
-- brute-force or look up in a table, and a fast hash keeps the per-request lookup a cheap
-- unique-index probe. The server compares hashes, so the lookup's timing reveals nothing usable
-- about the token.
CREATE TABLE agents (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL UNIQUE,
    token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    version      text,
    labels       jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object')
);

-- Events ------------------------------------------------------------------------------------------
-- id is the UUIDv7 the agent made when the plugin emitted the event: the idempotency key from the
-- agent's spool to this table, so a redelivered batch inserts nothing twice (ON CONFLICT (id)).
--
-- severity is a smallint, not text: 0 info, 1 low, 2 medium, 3 high, 4 critical. The order is the
-- point: "severity_min=high" and alert rules are a plain `severity >= 3` that an index can serve,
-- and the column costs 2 bytes per row in the table and in every index that carries it. The names
-- live in one place in the server (io.vigil.server.event.Severity) and in the comment below.
--
-- Not partitioned yet. When events move to time partitioning (PARTITION BY RANGE (time)), the
-- primary key must include the partition key and becomes (id, time); the agent resends an event
-- with its original time, so (id, time) stays a correct idempotency key and ingest changes its
-- conflict target only. Nothing else here references events.id, which keeps that change local.
CREATE TABLE events (
    id          uuid        PRIMARY KEY,
    time        timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    agent_id    bigint      NOT NULL REFERENCES agents (id),
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
    session_id  text
);
COMMENT ON COLUMN events.severity IS '0 info, 1 low, 2 medium, 3 high, 4 critical';
COMMENT ON COLUMN events.agent IS 'agent name as the agent reported it; agent_id is the agent that authenticated';

-- "Recent events" and the keyset pagination of GET /api/v1/events: ORDER BY time DESC, id DESC
-- with a row comparison (time, id) < (cursor) is a backward range scan of this index.
CREATE INDEX events_time_id_idx ON events (time DESC, id DESC);
-- The same ordering within one type or one severity, for the filtered queries and alert rules.
CREATE INDEX events_type_time_idx ON events (type, time DESC, id DESC);
CREATE INDEX events_severity_time_idx ON events (severity, time DESC, id DESC);

-- Metrics -----------------------------------------------------------------------------------------
-- A series is a metric name plus its labels (a flat JSON object of strings); jsonb equality ignores
-- key order, so {"a":"1","b":"2"} and {"b":"2","a":"1"} are one series. unit is taken from the
-- first sample of the series.
CREATE TABLE metric_series (
    id     bigserial PRIMARY KEY,
    name   text      NOT NULL,
    unit   text      NOT NULL DEFAULT '',
    labels jsonb     NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object'),
    UNIQUE (name, labels)
);

-- One value per series and instant: a redelivered sample conflicts with the stored one and is
-- ignored, so retries never double count. (Time partitioning later keeps this key as is.)
CREATE TABLE metric_samples (
    series_id bigint           NOT NULL REFERENCES metric_series (id),
    time      timestamptz      NOT NULL,
    value     double precision NOT NULL,
    PRIMARY KEY (series_id, time)
);
