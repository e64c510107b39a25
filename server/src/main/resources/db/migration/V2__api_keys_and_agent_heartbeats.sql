-- Vigil schema, version 2: API keys with roles, agent heartbeats, agent revocation.

-- Agents: what the last heartbeat said -----------------------------------------------------------
-- POST /api/v1/heartbeat (every agent.heartbeat_interval, 30 s by default) overwrites these; only
-- the latest heartbeat is kept, since its absence is the signal ("agent silent" = now() minus
-- last_heartbeat_at over vigil.agents.silence-threshold). last_heartbeat_at is the SERVER's clock
-- when the heartbeat arrived, so a host with a wrong clock is still judged correctly;
-- heartbeat_sent_at is the agent's own clock, for spotting clock skew.
ALTER TABLE agents
    ADD COLUMN last_heartbeat_at timestamptz,
    ADD COLUMN heartbeat_sent_at timestamptz,
    ADD COLUMN host              text,
    ADD COLUMN session_id        text,
    ADD COLUMN spi_version       text,
    ADD COLUMN plugins           jsonb   NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(plugins) = 'object'),
    ADD COLUMN monitors          integer,
    ADD COLUMN spool_items       bigint,
    ADD COLUMN spool_bytes       bigint,
    -- A revoked agent's token is refused; the row stays because events keep its id.
    ADD COLUMN revoked_at        timestamptz;
COMMENT ON COLUMN agents.last_heartbeat_at IS 'server time of the last POST /api/v1/heartbeat; NULL: never';
COMMENT ON COLUMN agents.plugins IS 'plugin id -> version, as the last heartbeat listed them';

-- A name is unique among agents that are not revoked, so a revoked agent's name can be registered
-- again (the old row keeps its events).
ALTER TABLE agents DROP CONSTRAINT agents_name_key;
CREATE UNIQUE INDEX agents_name_active_key ON agents (name) WHERE revoked_at IS NULL;

-- API keys ----------------------------------------------------------------------------------------
-- Bearer tokens for people and tools, each with one role. Stored like agent tokens: only the
-- SHA-256 (see V1 on why a fast hash is right for 256-bit random tokens).
CREATE TABLE api_keys (
    id           bigserial   PRIMARY KEY,
    name         text        NOT NULL,
    role         text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    token_hash   text        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL DEFAULT now(),
    created_by   text        NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
CREATE UNIQUE INDEX api_keys_name_active_key ON api_keys (name) WHERE revoked_at IS NULL;
