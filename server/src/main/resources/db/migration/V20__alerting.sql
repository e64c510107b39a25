-- Vigil schema, version 20: the alerting core (issue 5). Rules made through the API, alerts with
-- their events and audit trail, silences, notification groups, escalation state, and the
-- notification outbox with its delivery log. Versions 2 to 19 belong to the rest of the server.
--
-- Nothing here references events: events are partitioned by time and keyed by (id, time), so
-- alert_events keeps both columns and joins on them without a foreign key.

-- Rules created through the API ----------------------------------------------------------------
-- definition is the rule as the API received it (the same shape as an entry of the rules file);
-- it is validated on the way in and again when read.
CREATE TABLE alert_rules (
    id          text        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{0,127}$'),
    definition  jsonb       NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
    created_at  timestamptz NOT NULL,
    created_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL
);

-- Alerts ---------------------------------------------------------------------------------------
-- One row per occurrence of a rule's condition for one fingerprint. While it is open (firing or
-- acknowledged) a repeat only raises count and last_seen_at: the partial unique index below is the
-- deduplication, and it holds across server replicas. After it resolves, a new occurrence inserts
-- a new row. severity: 0 info .. 4 critical, as events.severity.
CREATE TABLE alerts (
    id               bigserial   PRIMARY KEY,
    rule_id          text        NOT NULL,
    rule_kind        text        NOT NULL CHECK (rule_kind IN ('event', 'metric', 'absence')),
    fingerprint      text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('firing', 'acknowledged', 'resolved')),
    severity         smallint    NOT NULL CHECK (severity BETWEEN 0 AND 4),
    title            text        NOT NULL,
    message          text        NOT NULL DEFAULT '',
    labels           jsonb       NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(labels) = 'object'),
    count            integer     NOT NULL DEFAULT 1 CHECK (count > 0),
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    value            double precision,
    escalation_level smallint    NOT NULL DEFAULT 0,
    acknowledged_at  timestamptz,
    acknowledged_by  text,
    resolved_at      timestamptz,
    resolved_by      text,
    resolution       text        CHECK (char_length(resolution) <= 1000),
    CHECK ((state = 'resolved') = (resolved_at IS NOT NULL))
);
COMMENT ON COLUMN alerts.severity IS '0 info, 1 low, 2 medium, 3 high, 4 critical';
CREATE UNIQUE INDEX alerts_open_key ON alerts (rule_id, fingerprint) WHERE state <> 'resolved';
CREATE INDEX alerts_state_id_idx ON alerts (state, id DESC);
CREATE INDEX alerts_rule_id_idx ON alerts (rule_id, id DESC);

-- The events that fired or repeated an alert (no foreign key: see the top of this file).
CREATE TABLE alert_events (
    alert_id   bigint      NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    event_id   uuid        NOT NULL,
    event_time timestamptz NOT NULL,
    PRIMARY KEY (alert_id, event_id)
);
CREATE INDEX alert_events_alert_time_idx ON alert_events (alert_id, event_time DESC);

-- The audit trail: who did what to an alert, and when.
CREATE TABLE alert_activity (
    id       bigserial   PRIMARY KEY,
    alert_id bigint      NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    at       timestamptz NOT NULL,
    actor    text        NOT NULL,
    action   text        NOT NULL CHECK (action IN ('fired', 'acknowledged', 'resolved', 'commented', 'escalated')),
    comment  text        CHECK (char_length(comment) <= 1000)
);
CREATE INDEX alert_activity_alert_idx ON alert_activity (alert_id, id);

-- Silences -------------------------------------------------------------------------------------
-- matchers: a JSON list of label matchers as text (team="db", severity>=high). Expiring a silence
-- sets ends_at; rows are kept as history.
CREATE TABLE silences (
    id         bigserial   PRIMARY KEY,
    matchers   jsonb       NOT NULL CHECK (jsonb_typeof(matchers) = 'array'),
    starts_at  timestamptz NOT NULL,
    ends_at    timestamptz NOT NULL,
    comment    text        NOT NULL DEFAULT '',
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_by text,
    updated_at timestamptz,
    CHECK (ends_at > starts_at)
);
CREATE INDEX silences_ends_at_idx ON silences (ends_at);

-- Notification groups ----------------------------------------------------------------------------
-- One row per (route, group key) with alerts waiting or notified; flush_at is when it is next due
-- (group wait, group interval, repeat interval), NULL when nothing is. Members remember whether
-- they were notified as firing, so a resolution is notified only for what was notified before.
CREATE TABLE notification_groups (
    id           bigserial   PRIMARY KEY,
    route_id     text        NOT NULL,
    group_key    text        NOT NULL,
    group_labels jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL,
    flush_at     timestamptz,
    last_sent_at timestamptz,
    UNIQUE (route_id, group_key)
);
CREATE INDEX notification_groups_due_idx ON notification_groups (flush_at) WHERE flush_at IS NOT NULL;

CREATE TABLE notification_group_alerts (
    group_id       bigint NOT NULL REFERENCES notification_groups (id) ON DELETE CASCADE,
    alert_id       bigint NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    notified_state text   CHECK (notified_state IN ('firing')),
    PRIMARY KEY (group_id, alert_id)
);
CREATE INDEX notification_group_alerts_alert_idx ON notification_group_alerts (alert_id);

-- Escalation -------------------------------------------------------------------------------------
-- The next step of each escalating alert and when it is due: in the database, so escalation
-- survives restarts and replicas share it (claimed with FOR UPDATE SKIP LOCKED).
CREATE TABLE alert_escalations (
    alert_id bigint      NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    policy   text        NOT NULL,
    step     integer     NOT NULL CHECK (step >= 0),
    due_at   timestamptz NOT NULL,
    PRIMARY KEY (alert_id, policy)
);
CREATE INDEX alert_escalations_due_idx ON alert_escalations (due_at);

-- The outbox ---------------------------------------------------------------------------------------
-- A notification is written in the transaction of the alert change that causes it, and sent by
-- the dispatcher: claimed with FOR UPDATE SKIP LOCKED (state sending, lease_until), sent, then
-- delivered, pending again (next_attempt_at, exponential backoff) or failed. payload is the
-- channel-independent message (NotificationMessage). No secret is ever stored here.
CREATE TABLE notifications (
    id              bigserial   PRIMARY KEY,
    created_at      timestamptz NOT NULL,
    channel         text        NOT NULL,
    channel_type    text        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('firing', 'resolved', 'repeat', 'escalation')),
    alert_ids       bigint[]    NOT NULL DEFAULT '{}',
    group_id        bigint,
    title           text        NOT NULL,
    payload         jsonb       NOT NULL,
    state           text        NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    lease_until     timestamptz,
    delivered_at    timestamptz,
    last_error      text
);
CREATE INDEX notifications_due_idx ON notifications (next_attempt_at, id) WHERE state = 'pending';
CREATE INDEX notifications_leased_idx ON notifications (lease_until) WHERE state = 'sending';
CREATE INDEX notifications_alert_ids_idx ON notifications USING gin (alert_ids);

-- The delivery log: one row per attempt, with its outcome, latency and error (never a secret).
CREATE TABLE notification_attempts (
    id              bigserial        PRIMARY KEY,
    notification_id bigint           NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    attempt         integer          NOT NULL,
    started_at      timestamptz      NOT NULL,
    latency_ms      double precision NOT NULL,
    outcome         text             NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed')),
    http_status     integer,
    error           text
);
CREATE INDEX notification_attempts_notification_idx ON notification_attempts (notification_id, id);
