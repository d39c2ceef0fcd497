-- Same version as mysql/V12__assigned_counts.sql.
-- Owner assignment's load read (issue 8: an intake's cost must not grow with the backlog). The least-loaded rep
-- was found by counting the team's open actions due before the assignment horizon in lf_next_action: about
-- reps x capacity x horizon index entries per intake once the team's days are full (15,000 at 50 reps), and it
-- grew with the backlog up to that. These counters, kept by com.leadflow.audit.AuditLedger in the transaction
-- that opens, closes or moves an action and checked by the audit's full check, answer it with a sum over the
-- (assignee, due hour) rows before the horizon.
--
-- Open actions by assignee and due hour (hours since 1970-01-01 00:00 UTC). Actions of a group without an
-- assignee are not counted. One shard (0): the writers of one rep's rows are few (that rep's intakes are
-- already serialised on its lf_rep row), and the read sums every row of the team before the horizon.
CREATE TABLE lf_audit_assigned_count (
    owner      VARCHAR(64)  NOT NULL,
    hour_no    BIGINT       NOT NULL,
    shard      INT          NOT NULL,
    n          BIGINT       NOT NULL,
    CONSTRAINT pk_lf_audit_assigned_count PRIMARY KEY (owner, hour_no, shard)
);

INSERT INTO lf_audit_assigned_count (owner, hour_no, shard, n)
    SELECT assignee, TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', due_at), 0, COUNT(*) FROM lf_next_action
    WHERE status = 'OPEN' AND assignee IS NOT NULL
    GROUP BY assignee, TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', due_at);
