-- Capacity levelling (com.leadflow.scheduling.RepLoad) counts a rep's open calls per day on every generated
-- call: "assignee = ? AND status = 'OPEN' AND type = 'CALL' AND due_at in one day", at most the daily capacity
-- of them. ix_lf_action_assignee (assignee, status, due_at) has no type, so every counted action cost a read of
-- its row; with type in the index the count is read from the index alone, in due order, and stops at the
-- capacity. ix_lf_action_assignee stays: the inbox reads it in (due_at, id) order across types.
CREATE INDEX ix_lf_action_assignee_type ON lf_next_action (assignee, status, type, due_at);
