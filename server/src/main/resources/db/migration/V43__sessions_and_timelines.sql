-- Vigil schema, version 43: the indexes behind sessions and timelines (io.vigil.server.timeline).
-- No new table: a session is what its agent.session_started / agent.session_ended events say, read
-- from `events` (docs/architecture.md, "Sessions and timelines", says why). Each index is created
-- on the partitioned parent, so every day partition (and each one made later) gets its own.
-- All three are in timeline order, (key, time, id): a timeline page is a forward range scan that
-- starts right after the cursor and stops after `limit` rows, whatever the depth of the page.

-- every event of one agent process, oldest first; also finds a session's end event and its last event
CREATE INDEX events_session_time_idx ON events (session_id, time, id) WHERE session_id IS NOT NULL;

-- every event about one subject (an asset, a container, a path) over a window
CREATE INDEX events_subject_time_idx ON events (subject, time, id);

-- every event of one trace: replaces V3's events_trace_idx (trace_id), of which it is a superset.
-- A streaming monitor's trace lasts one stream connection and can hold many events, so the page
-- order matters here too.
CREATE INDEX events_trace_time_idx ON events (trace_id, time, id) WHERE trace_id IS NOT NULL;
DROP INDEX events_trace_idx;
