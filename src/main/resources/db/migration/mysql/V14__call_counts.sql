-- Capacity levelling's read of a rep's days (issue 8: an intake's cost must not grow with the backlog). When a
-- rep's next week is full, levelling looks for the first day with room a month at a time, and counted each of
-- those days' open calls in lf_next_action: capacity x days index entries per read, growing with the rep's
-- backlog. These counters, kept by com.leadflow.audit.AuditLedger in the transaction that opens, closes or moves
-- an action and checked by the audit's full check, answer it with the (rep, due hour) rows of those days;
-- levelled calls share the hour their day starts at, so a day is one or a few rows however many calls it holds.
--
-- Open CALL actions by assignee and due hour (hours since 1970-01-01 00:00 UTC). Calls of a group without an
-- assignee are not counted. One shard (0), like lf_audit_assigned_count: the writers of one rep's rows are few,
-- and the read takes one rep's rows of a month.
CREATE TABLE lf_audit_call_count (
    owner      VARCHAR(64)  NOT NULL,
    hour_no    BIGINT       NOT NULL,
    shard      INT          NOT NULL,
    n          BIGINT       NOT NULL,
    CONSTRAINT pk_lf_audit_call_count PRIMARY KEY (owner, hour_no, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT INTO lf_audit_call_count (owner, hour_no, shard, n)
    SELECT assignee, TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', due_at), 0, COUNT(*) FROM lf_next_action
    WHERE status = 'OPEN' AND type = 'CALL' AND assignee IS NOT NULL
    GROUP BY assignee, TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', due_at);
