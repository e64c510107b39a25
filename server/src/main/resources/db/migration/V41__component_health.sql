-- Vigil schema, version 41: component health history (io.vigil.server.healthlog).
--
-- health_samples: one row per health report of a component, partitioned by day exactly like events
-- and metric_samples (V3: <table>_pYYYYMMDD, <table>_default, vigil_create_day_partition), kept by
-- io.vigil.server.retention.PartitionMaintenance for vigil.retention.health-samples (30 days).
-- Components: 'agent/<agent name>' (one sample per heartbeat) and 'server/<instance>/<part>'
-- (database, outbox, ingest, jvm; one sample per vigil.health.interval).
CREATE TABLE health_samples (
    time             timestamptz      NOT NULL,
    component        text             NOT NULL,
    kind             text             NOT NULL CHECK (kind IN ('agent', 'server')),
    agent_id         bigint,
    status           smallint         NOT NULL CHECK (status BETWEEN 0 AND 2),
    reason           text             NOT NULL DEFAULT '',
    interval_ms      bigint           NOT NULL CHECK (interval_ms > 0),
    latency_ms       double precision,
    cpu              double precision CHECK (cpu BETWEEN 0 AND 1),
    memory_bytes     bigint,
    error_count      bigint,
    spool_depth      bigint,
    outbox_backlog   bigint,
    db_round_trip_ms double precision,
    PRIMARY KEY (component, time)
) PARTITION BY RANGE (time);
COMMENT ON COLUMN health_samples.status IS '0 healthy, 1 degraded, 2 down (io.vigil.server.healthlog.HealthStatus)';
COMMENT ON COLUMN health_samples.interval_ms IS 'how often the component reports; a sample covers at most twice this (availability)';
COMMENT ON COLUMN health_samples.cpu IS 'process CPU load as a fraction of all CPUs, 0 to 1';
COMMENT ON COLUMN health_samples.memory_bytes IS 'agents: resident set size (else heap used); server jvm: heap used';
COMMENT ON COLUMN health_samples.error_count IS 'agents: errors since the agent started; server ingest: batches refused since the previous sample';
CREATE TABLE health_samples_default PARTITION OF health_samples DEFAULT;
-- the latest samples of all components (the overview), besides the key's per-component range reads
CREATE INDEX health_samples_time_idx ON health_samples (time);

DO $$
DECLARE
    d date;
BEGIN
    FOR d IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1,
                                    (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day')::date
    LOOP
        PERFORM vigil_create_day_partition('health_samples', d);
    END LOOP;
END $$;

-- component_status: one row per component, its current status. Written in the transaction that
-- stores a sample (or declares the component silent), under the row's lock: the replica that
-- changes status is the one that emits the transition event, so two replicas never both emit it.
-- status here is the effective one: the last sample's, or down once the component is silent
-- (no sample for twice its interval).
CREATE TABLE component_status (
    component      text        PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('agent', 'server')),
    agent_id       bigint,
    status         smallint    NOT NULL CHECK (status BETWEEN 0 AND 2),
    reason         text        NOT NULL DEFAULT '',
    since          timestamptz NOT NULL,
    last_sample_at timestamptz NOT NULL,
    interval_ms    bigint      NOT NULL CHECK (interval_ms > 0),
    first_seen_at  timestamptz NOT NULL
);
COMMENT ON COLUMN component_status.since IS 'when the component entered its current status';
COMMENT ON COLUMN component_status.first_seen_at IS 'its first sample ever: availability does not count time before it';
-- the silence check: components not down, by when their last sample was
CREATE INDEX component_status_silence_idx ON component_status (last_sample_at) WHERE status <> 2;
