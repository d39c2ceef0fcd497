-- Capacity levelling (com.leadflow.scheduling.ActionPlanner, RepLoad) counts a rep's open calls per day on every
-- generated call: "assignee = ? AND status = 'OPEN' AND type = 'CALL' AND due_at in a day or a month".
-- ix_lf_action_assignee (assignee, status, due_at) has no type, so every counted action cost a read of its row;
-- with type in the index the counts are read from the index alone, in due order (and the first days' counts stop
-- at the capacity). ix_lf_action_assignee stays: the inbox reads it in (due_at, id) order across types.
CREATE INDEX ix_lf_action_assignee_type ON lf_next_action (assignee, status, type, due_at);
