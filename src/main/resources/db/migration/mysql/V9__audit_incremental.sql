-- The audit's stored answers (issue 5: GET /api/audit and the no-next-action list under 50 ms at a million leads).
-- Proving "nobody is missing" by comparing every lead with the engine takes seconds at that size, so the
-- comparison is kept incrementally: the engine marks a lead dirty in the transaction that changes its
-- process (com.leadflow.audit.AuditTrackingPlugin), the audit re-checks only the dirty leads and stores
-- what it finds, and the scheduled consistency check still compares everything and repairs the store.

-- Leads whose process, task, job or incident changed since the audit last checked them.
CREATE TABLE lf_audit_dirty (
    lead_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    marked_at  DATETIME     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The current finding per lead (the most fundamental reason): the no-next-action list, in lead id order.
CREATE TABLE lf_audit_finding (
    lead_id    VARCHAR(36)  NOT NULL PRIMARY KEY,
    reason     VARCHAR(32)  NOT NULL,
    detail     VARCHAR(500),
    found_at   DATETIME     NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Active (ACTIVE, HANDED_OFF) leads per owner ('' = none), spread over shards so concurrent intakes for one
-- owner do not queue on one row; a figure is the SUM over the shards.
CREATE TABLE lf_audit_owner_count (
    owner      VARCHAR(64)  NOT NULL,
    shard      INT          NOT NULL,
    n          BIGINT       NOT NULL,
    CONSTRAINT pk_lf_audit_owner_count PRIMARY KEY (owner, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Counts by hour (hours since 1970-01-01 00:00 UTC): kind DUE = open next actions by due hour, kind TOUCH =
-- active leads by the hour of their last individual touch (or creation, never touched). "Overdue" and
-- "untouched for 90 days" are the sum of the hours before the cut-off plus a count of the cut-off's own hour.
CREATE TABLE lf_audit_hour_count (
    kind       VARCHAR(8)   NOT NULL,
    hour_no    BIGINT       NOT NULL,
    shard      INT          NOT NULL,
    n          BIGINT       NOT NULL,
    CONSTRAINT pk_lf_audit_hour_count PRIMARY KEY (kind, hour_no, shard)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What the consistency check found beyond the listed drift: findings the incremental tracking had not
-- stored (and was not about to re-check), and counter buckets it had to correct.
ALTER TABLE lf_audit_run
    ADD COLUMN untracked BIGINT DEFAULT 0 NOT NULL,
    ADD COLUMN counter_corrections BIGINT DEFAULT 0 NOT NULL;

-- Serialises the re-checks of dirty leads across nodes (a row lock for the length of one batch).
INSERT INTO lf_scheduler_lock (name, locked_until) VALUES ('audit-refresh', '2000-01-01 00:00:00');

-- A database that already holds leads: counters from its rows, and every active lead to be checked once.
INSERT INTO lf_audit_owner_count (owner, shard, n)
    SELECT COALESCE(owner, ''), 0, COUNT(*) FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF') GROUP BY COALESCE(owner, '');
INSERT INTO lf_audit_hour_count (kind, hour_no, shard, n)
    SELECT 'DUE', TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', due_at), 0, COUNT(*) FROM lf_next_action
    WHERE status = 'OPEN' GROUP BY TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', due_at);
INSERT INTO lf_audit_hour_count (kind, hour_no, shard, n)
    SELECT 'TOUCH', TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', COALESCE(last_touch_at, created_at)), 0, COUNT(*) FROM lf_lead
    WHERE status IN ('ACTIVE', 'HANDED_OFF') GROUP BY TIMESTAMPDIFF(HOUR, '1970-01-01 00:00:00', COALESCE(last_touch_at, created_at));
INSERT INTO lf_audit_dirty (lead_id, marked_at)
    SELECT id, UTC_TIMESTAMP() FROM lf_lead WHERE status IN ('ACTIVE', 'HANDED_OFF');
