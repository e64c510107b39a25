-- The server writes events of its own (component health transitions, secrets about to expire, an
-- error group that came back): they go through the same table, rules and timelines as an agent's,
-- but no agent sent them, so agent_id is NULL for them and their plugin is 'server'.
ALTER TABLE events ALTER COLUMN agent_id DROP NOT NULL;
COMMENT ON COLUMN events.agent_id IS 'the agent that shipped the event; NULL for events the server itself emitted (plugin = ''server'')';
