-- The KPI touch coverage (issue 8: the KPI quarter under 100 ms at a million leads). "Touched" is an active lead
-- (ACTIVE, HANDED_OFF) with an individual touch since the cut-off (now minus the touch interval); never-touched
-- leads are not touched. Counting it from lf_lead read every active lead; these counters, kept by
-- com.leadflow.audit.AuditLedger in the transaction that changes a lead and checked by the audit's full check,
-- answer it with the sum of the hours after the cut-off plus one indexed count of the cut-off's own hour.
--
-- Active leads with an individual touch, by owner ('' = none; '*' = all leads, the team's figure) and by the
-- hour of the last touch (hours since 1970-01-01 00:00 UTC), spread over shards like lf_audit_hour_count.
CREATE TABLE lf_audit_touch_count (
    owner      VARCHAR(64)  NOT NULL,
    hour_no    BIGINT       NOT NULL,
    shard      INT          NOT NULL,
    n          BIGINT       NOT NULL,
    CONSTRAINT pk_lf_audit_touch_count PRIMARY KEY (owner, hour_no, shard)
);

INSERT INTO lf_audit_touch_count (owner, hour_no, shard, n)
    SELECT COALESCE(owner, ''), TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', last_touch_at), 0, COUNT(*) FROM lf_lead
    WHERE status IN ('ACTIVE', 'HANDED_OFF') AND last_touch_at IS NOT NULL
    GROUP BY COALESCE(owner, ''), TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', last_touch_at);
INSERT INTO lf_audit_touch_count (owner, hour_no, shard, n)
    SELECT '*', TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', last_touch_at), 0, COUNT(*) FROM lf_lead
    WHERE status IN ('ACTIVE', 'HANDED_OFF') AND last_touch_at IS NOT NULL
    GROUP BY TIMESTAMPDIFF(HOUR, TIMESTAMP '1970-01-01 00:00:00', last_touch_at);

-- The cut-off hour of one rep is counted from lf_lead: by owner, status and last touch, a range of that hour.
CREATE INDEX ix_lf_lead_owner_status_touch ON lf_lead (owner, status, last_touch_at);
DROP INDEX ix_lf_lead_owner_status;
