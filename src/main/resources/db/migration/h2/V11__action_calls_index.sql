-- Same version as mysql/V11__action_calls_index.sql: capacity levelling's count of a rep's open calls of a
-- day (assignee, status, type, due_at) read from the index alone.
CREATE INDEX ix_lf_action_assignee_type ON lf_next_action (assignee, status, type, due_at);
